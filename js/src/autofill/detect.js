// Which checkout field each form control is: autocomplete tokens first (WHATWG autofill,
// with section-*, shipping and billing), then the control's name, id, label, placeholder and
// aria attributes in 12 languages. Reads attributes and labels only: never a value.

const FIELDS = new Set([
  'name',
  'given-name',
  'family-name',
  'organization',
  'email',
  'tel',
  'tel-country-code',
  'tel-national',
  'tel-local',
  'street-address',
  'address-line1',
  'address-line2',
  'address-line3',
  'address-level1',
  'address-level2',
  'postal-code',
  'country',
  'country-name',
]);

// Card data: recognized only to be left alone (privacy.md #13).
const CARD = new RegExp([
  'card',
  'cc[-_ ]?(num|number|csc|cvc|cvv|exp|name)',
  'cvc',
  'cvv',
  'cvn',
  'csc',
  'security ?code',
  'expir',
  'mm ?/ ?yy',
  'kartennummer',
  'prufnummer',
  'carte',
  'cryptogramme',
  'tarjeta',
  'carta di credito',
  'cartao',
  'kaart',
  'karty',
  'cardului',
  'карт',
  'cvv2',
  '卡号',
  '信用卡',
  '安全码',
  'カード',
  'セキュリティコード',
  'iban',
  '\\bpan\\b',
].join('|'));

// Honeypots: fields meant for bots.
const HONEYPOT =
    /honeypot|hpot|\bhp[_-]|leave (this )?(field )?(blank|empty)|do not fill|don.?t fill|\bbot\b|nicht ausf|laisser vide/;

// Heuristic rules, most specific first. Tested on name + id + label + placeholder + aria,
// lower-cased and without diacritics.
const RULES = [
  ['furigana', /furigana|フリガナ|ふりがな|セイ|メイ|カナ|kana/],
  [
    'email',
    /e-?mail|courriel|correo|posta elettronica|e-?post|почт|邮箱|电子邮件|メール/
  ],
  [
    'tel-country-code',
    /(country|area|dial|phone|tel)[ _-]?(code|prefix)|ländervorwahl|vorwahl|indicatif|prefijo|prefisso|ddi|kod kraju|prefix tara|код страны|区号|国番号/
  ],
  [
    'tel',
    /phone|tel\b|tel[_-]|telephone|mobile|handy|celular|movil|cellulare|mobiel|komork|telefon|telefono|telefone|telefoon|телефон|电话|手机|電話|携帯/
  ],
  [
    'organization',
    /company|organi[sz]ation|business|firma|unternehmen|societe|entreprise|empresa|azienda|ragione sociale|bedrijf|companie|компани|организац|公司|会社|法人/
  ],
  ['address-line3', /address[ _-]?(line)?[ _-]?3|line ?3|street3/],
  [
    'address-line2',
    /address[ _-]?(line)?[ _-]?2|addr2|line ?2|street2|apartment|apt|suite|unit\b|building|adresszusatz|zusatz|complement|piso|puerta|interno|scala|complemento|toevoeging|lokal|apartament|bloc|квартир|корпус|建物|マンション|部屋|楼|单元|门牌/
  ],
  [
    'postal-code',
    /zip|postal|post ?code|postleitzahl|\bplz\b|code postal|codigo postal|\bcp\b|\bcap\b|\bcep\b|kod pocztowy|cod postal|индекс|邮编|邮政编码|郵便番号|〒/
  ],
  [
    'address-level2',
    /city|town|suburb|stadt|\bort\b|ville|ciudad|localidad|poblacion|citta|comune|cidade|municipio|plaats|woonplaats|miasto|miejscowosc|oras|localitate|город|населенный|城市|市区町村|市区|区县/
  ],
  [
    'address-level1',
    /state|province|region|county|bundesland|departement|provincia|estado|\buf\b|provincie|wojewodztwo|judet|регион|област|край|省份|省|都道府県|prefecture/
  ],
  [
    'country',
    /country|land\b|pays|pais|paese|nazione|kraj|\btara\b|страна|国家|国・地域|^国$/
  ],
  [
    'address-line1',
    /address|street|strasse|adresse|rue\b|direccion|calle|indirizzo|via\b|endereco|logradouro|rua\b|adres|straat|ulica|adresa|strada|адрес|улица|地址|街道|住所|番地|丁目/
  ],
  [
    'family-name',
    /last[ _-]?name|surname|family[ _-]?name|lname|nachname|familienname|\bnom\b(?! complet)|apellido|cognome|sobrenome|achternaam|nazwisko|\bnume\b(?! complet)|фамилия|^姓|姓$|姓（|姓\(/
  ],
  [
    'given-name',
    /first[ _-]?name|given[ _-]?name|fname|forename|vorname|prenom|\bnombre\b(?! completo)|\bnome\b(?! completo)|voornaam|\bimie\b(?! i nazwisko)|prenume|\bимя\b|^名$|^名（|^名\(/
  ],
  [
    'name',
    /full[ _-]?name|your name|^name$|\bname\b|nom complet|nombre completo|nome completo|naam|imie i nazwisko|nume complet|фио|姓名|收货人|收件人|氏名|お名前/
  ],
];

const BILLING =
    /billing|invoice|rechnung|facturation|factura|fatturazione|faturamento|cobranca|factuur|faktur|rozliczen|facturare|плат[её]ж|счет|账单|帐单|发票|請求|ご請求/;
const SHIPPING =
    /shipping|delivery|ship[_-]|liefer|versand|livraison|envio|spedizione|consegna|entrega|verzend|bezorg|dostaw|livrare|доставк|收货|配送|お届け|送付/;

export function fold(text) {
  return String(text ?? '')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[*:：＊]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
}

// A label's own words: not the option texts of a select it wraps ("Country" must not read
// as "Country United States").
function ownText(node) {
  let text = '';
  for (const child of node.childNodes) {
    if (child.nodeType === 3)
      text += child.data;
    else if (
        child.nodeType === 1 &&
        !/^(SELECT|OPTION|TEXTAREA|BUTTON|SCRIPT|STYLE)$/.test(child.tagName)) {
      text += ` ${ownText(child)}`;
    }
  }
  return text;
}

function labelText(el) {
  const parts = [];
  for (const label of el.labels ?? []) parts.push(ownText(label));
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    for (const id of labelledBy.split(/\s+/)) {
      const node = el.ownerDocument.getElementById(id);
      if (node) parts.push(ownText(node));
    }
  }
  return parts.join(' ');
}

// The control's own words, each tested on its own (so "Name" in a label and "company" in an
// id cannot make "company name" by accident), most telling first.
function descriptors(el) {
  const label = fold(labelText(el).replace(/\(required\)|必須|\*|任意/g, ''));
  return [
    label, fold(el.getAttribute('aria-label')), fold(el.getAttribute('placeholder')), fold(el.name),
    fold(el.id), fold(el.getAttribute('data-field'))
  ].filter(Boolean);
}

function parseAutocomplete(el) {
  const tokens = (el.getAttribute('autocomplete') ?? '').toLowerCase().trim().split(/\s+/);
  const field = tokens[tokens.length - 1];
  if (!field) return null;
  if (field.startsWith('cc-')) return {field: 'cc'};
  let section = null;
  for (const t of tokens.slice(0, -1)) {
    if (t === 'shipping' || t === 'billing')
      section = t;
    else if (t.startsWith('section-') && !section)
      section = t.slice('section-'.length);
  }
  if (FIELDS.has(field)) return {field, section};
  if (field === 'tel-area-code' || field === 'tel-extension') return {field: null, section};
  return null;
}

export function isCardLike(el) {
  if (/^cc-/.test(parseAutocomplete(el)?.field ?? '') || parseAutocomplete(el)?.field === 'cc') {
    return true;
  }
  return descriptors(el).some((d) => CARD.test(d));
}

export function isHoneypot(el) {
  return descriptors(el).some((d) => HONEYPOT.test(d)) || HONEYPOT.test(fold(el.className));
}

function heuristicField(el) {
  if (el.type === 'email') return 'email';
  const words = descriptors(el);
  for (const text of words) {
    for (const [field, re] of RULES) {
      if (re.test(text)) return field === 'furigana' ? null : field;
    }
  }
  if (el.type === 'tel') return 'tel';
  return undefined;
}

// 'shipping', 'billing' or a section-* name, from the control's name or its containers.
function sectionOf(el, root) {
  const own = fold(`${el.name} ${el.id}`);
  if (/^billing|\bbilling|billing[_\[]/.test(own) || /^bill[_-]/.test(own)) return 'billing';
  if (/^shipping|shipping[_\[]|^ship[_-]/.test(own)) return 'shipping';
  for (let node = el.parentElement; node && node !== root; node = node.parentElement) {
    const legend = node.tagName === 'FIELDSET' ? node.querySelector('legend')?.textContent : '';
    const heading = node.querySelector(':scope > h2, :scope > h3, :scope > h4')?.textContent;
    const text = fold(`${node.id} ${node.className} ${node.getAttribute('data-section') ?? ''} ${
        node.getAttribute('aria-label') ?? ''} ${legend ?? ''} ${heading ?? ''}`);
    if (BILLING.test(text)) return 'billing';
    if (SHIPPING.test(text)) return 'shipping';
  }
  return 'shipping';
}

const SKIP_TYPES = new Set([
  'hidden',
  'submit',
  'button',
  'reset',
  'image',
  'file',
  'checkbox',
  'radio',
  'password',
  'range',
  'color',
  'date',
  'datetime-local',
  'month',
  'week',
  'time',
  'search',
]);

// [{ element, field, section }]; field 'cc' marks card fields (never filled), null a field
// that is known but not ours (furigana, extension).
export function detect(root = document) {
  const out = [];
  for (const el of root.querySelectorAll('input, select, textarea')) {
    if (el.tagName === 'INPUT' && SKIP_TYPES.has(el.type)) continue;
    const auto = parseAutocomplete(el);
    if (auto?.field === 'cc' || isCardLike(el)) {
      out.push({element: el, field: 'cc', section: sectionOf(el, root)});
      continue;
    }
    let field = auto ? auto.field : heuristicField(el);
    if (field === undefined) continue;
    // A select of calling codes next to the phone.
    if (field === 'country' && el.tagName === 'SELECT' && /\+\d/.test(el.options[1]?.text ?? '') &&
        descriptors(el).some((d) => /tel|phone|telefon|телефон|电话|電話/.test(d))) {
      field = 'tel-country-code';
    }
    if (field === 'country' && el.tagName !== 'SELECT') field = 'country-name';
    out.push({element: el, field, section: auto?.section ?? sectionOf(el, root)});
  }
  return out;
}
