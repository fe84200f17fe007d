<?php
// The independent check of shortcodes/wordpress/blocks.py: WordPress's own WP_Block_Parser, and a
// static render_block (innerContent concatenated, inner blocks in place; no callbacks).
// stdin: a JSON array of texts; stdout: a JSON array of {names: [...], html: "..."}.
require $argv[1] . '/class-wp-block-parser.php';
function static_render($block) {
    $out = '';
    $i = 0;
    foreach ($block['innerContent'] as $chunk) {
        $out .= is_string($chunk) ? $chunk : static_render($block['innerBlocks'][$i++]);
    }
    return $out;
}
function names($blocks, &$acc) {
    foreach ($blocks as $b) {
        $acc[] = $b['blockName'];
        names($b['innerBlocks'], $acc);
    }
}
$texts = json_decode(file_get_contents('php://stdin'), true);
$result = array();
foreach ($texts as $text) {
    $parser = new WP_Block_Parser();
    $blocks = $parser->parse($text);
    $html = '';
    foreach ($blocks as $b) { $html .= static_render($b); }
    $acc = array();
    names($blocks, $acc);
    $result[] = array('names' => $acc, 'html' => $html);
}
echo json_encode($result, JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
