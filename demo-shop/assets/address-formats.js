// The demo checkout's address block per country, as shops build it: which fields, in which
// order, with which labels, and the region lists a select offers. The shop's own data (a
// real shop has it from its platform), not Vitrine's.
const US_STATES = [
  ['AL', 'Alabama'],        ['AK', 'Alaska'],         ['AZ', 'Arizona'],
  ['AR', 'Arkansas'],       ['CA', 'California'],     ['CO', 'Colorado'],
  ['CT', 'Connecticut'],    ['DE', 'Delaware'],       ['DC', 'District of Columbia'],
  ['FL', 'Florida'],        ['GA', 'Georgia'],        ['HI', 'Hawaii'],
  ['ID', 'Idaho'],          ['IL', 'Illinois'],       ['IN', 'Indiana'],
  ['IA', 'Iowa'],           ['KS', 'Kansas'],         ['KY', 'Kentucky'],
  ['LA', 'Louisiana'],      ['ME', 'Maine'],          ['MD', 'Maryland'],
  ['MA', 'Massachusetts'],  ['MI', 'Michigan'],       ['MN', 'Minnesota'],
  ['MS', 'Mississippi'],    ['MO', 'Missouri'],       ['MT', 'Montana'],
  ['NE', 'Nebraska'],       ['NV', 'Nevada'],         ['NH', 'New Hampshire'],
  ['NJ', 'New Jersey'],     ['NM', 'New Mexico'],     ['NY', 'New York'],
  ['NC', 'North Carolina'], ['ND', 'North Dakota'],   ['OH', 'Ohio'],
  ['OK', 'Oklahoma'],       ['OR', 'Oregon'],         ['PA', 'Pennsylvania'],
  ['RI', 'Rhode Island'],   ['SC', 'South Carolina'], ['SD', 'South Dakota'],
  ['TN', 'Tennessee'],      ['TX', 'Texas'],          ['UT', 'Utah'],
  ['VT', 'Vermont'],        ['VA', 'Virginia'],       ['WA', 'Washington'],
  ['WV', 'West Virginia'],  ['WI', 'Wisconsin'],      ['WY', 'Wyoming'],
];
const JP_PREFECTURES =
    ('北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 ' +
     '神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 ' +
     '大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 ' +
     '福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県')
        .split(' ')
        .map((name, i) => [String(i + 1), name]);

export const COUNTRIES = [
  ['US', 'United States'], ['CA', 'Canada'],    ['GB', 'United Kingdom'], ['DE', 'Germany'],
  ['FR', 'France'],        ['IT', 'Italy'],     ['ES', 'Spain'],          ['NL', 'Netherlands'],
  ['PL', 'Poland'],        ['RO', 'Romania'],   ['RU', 'Russia'],         ['CN', 'China'],
  ['TW', 'Taiwan'],        ['JP', 'Japan'],     ['IN', 'India'],          ['BR', 'Brazil'],
  ['MX', 'Mexico'],        ['AU', 'Australia'], ['SE', 'Sweden'],         ['CH', 'Switzerland'],
];

// [field, label, autocomplete token, options?] in the order the country writes them.
export function addressFields(country) {
  if (country === 'US') {
    return [
      ['line1', 'Street address', 'address-line1'],
      ['line2', 'Apt, suite (optional)', 'address-line2'],
      ['city', 'City', 'address-level2'],
      ['region', 'State', 'address-level1', US_STATES],
      ['postalCode', 'ZIP code', 'postal-code'],
    ];
  }
  if (country === 'JP') {
    return [
      ['postalCode', '郵便番号', 'postal-code'],
      ['region', '都道府県', 'address-level1', JP_PREFECTURES],
      ['city', '市区町村', 'address-level2'],
      ['line1', '番地', 'address-line1'],
      ['line2', '建物名・部屋番号', 'address-line2'],
    ];
  }
  const region = ['CA', 'AU', 'BR', 'MX', 'IN', 'CN', 'IT'].includes(country) ?
      [['region', 'State / province', 'address-level1']] :
      [];
  return [
    ['line1', 'Street and number', 'address-line1'],
    ['line2', 'Address line 2 (optional)', 'address-line2'],
    ['postalCode', 'Postal code', 'postal-code'],
    ['city', 'City', 'address-level2'],
    ...region,
  ];
}
