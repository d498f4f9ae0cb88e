// Product images: a deterministic SVG per product, the category's shape in the product's
// colour on the category's tint. No text inside, so nothing from the catalog reaches SVG.
import {COLOURS} from './catalog.mjs';

const SHAPES = {
  'jacket':
      '<path d="M70 40 L100 55 L130 40 L165 62 L150 100 L140 94 L140 165 L60 165 L60 94 L50 100 L35 62 Z"/><path d="M100 55 L100 165" class="line"/>',
  'hat':
      '<path d="M48 130 C48 72 152 72 152 130 Z"/><rect x="40" y="128" width="120" height="22" rx="8"/><circle cx="100" cy="66" r="14"/>',
  'glove':
      '<path d="M62 165 L62 92 C62 70 82 60 92 62 L92 44 C92 32 116 32 116 44 L116 64 C132 66 142 78 142 96 L142 165 Z"/><path d="M58 100 C40 96 34 118 56 128 Z"/>',
  'scarf':
      '<path d="M50 50 L150 50 L150 78 L120 78 L120 160 L92 160 L92 78 L50 78 Z"/><path d="M92 160 L92 172 M100 160 L100 172 M108 160 L108 172 M116 160 L116 172" class="line"/>',
  'boot':
      '<path d="M70 40 L112 40 L112 120 L160 136 C168 140 168 160 156 160 L64 160 Z"/><rect x="60" y="158" width="102" height="10" rx="4"/>',
  'sneaker':
      '<path d="M36 140 C36 112 60 96 84 98 L108 84 L130 116 L164 124 C176 128 176 148 164 148 L42 148 C38 148 36 146 36 140 Z"/><path d="M34 150 L170 150" class="line"/>',
  'backpack':
      '<rect x="58" y="52" width="84" height="116" rx="26"/><rect x="72" y="112" width="56" height="40" rx="10" class="pocket"/><path d="M84 52 C84 30 116 30 116 52" class="line"/>',
  'tent':
      '<path d="M100 42 L168 160 L32 160 Z"/><path d="M100 96 L124 160 L76 160 Z" class="pocket"/>',
  'sleeping-bag':
      '<rect x="64" y="30" width="72" height="142" rx="34"/><ellipse cx="100" cy="62" rx="22" ry="18" class="pocket"/>',
  'lamp':
      '<rect x="74" y="60" width="52" height="90" rx="10"/><circle cx="100" cy="105" r="16" class="pocket"/><path d="M82 60 C82 36 118 36 118 60" class="line"/><rect x="70" y="148" width="60" height="12" rx="4"/>',
};

export function productSvg(product, category) {
  const fill = COLOURS[product.colour] ?? '#888888';
  const shape = SHAPES[category.shape] ?? '<circle cx="100" cy="100" r="50"/>';
  // Presentation attributes, not a <style> element: the page's CSP has no 'unsafe-inline'.
  const body = shape
                   .replace(
                       /class="line"/g,
                       'fill="none" stroke="#1d1d1f" stroke-width="4" stroke-opacity="0.35"')
                   .replace(/class="pocket"/g, 'fill="#ffffff" fill-opacity="0.28"');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">` +
      `<rect width="200" height="200" fill="${category.tint}"/>` +
      `<g fill="${fill}" stroke="#1d1d1f" stroke-opacity="0.2" stroke-width="2">${body}</g></svg>`;
}
