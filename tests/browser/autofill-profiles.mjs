// The shoppers of the autofill browser tests, one per fixture language, as a shop would pass
// them to v.autofill.save() (national phone numbers, region names, country names or codes).
const US = {
  givenName: 'Jane',
  familyName: 'Doe',
  email: 'jane.doe@example.com',
  tel: '(415) 555-0132',
  shipping: {
    line1: '1600 Amphitheatre Pkwy',
    line2: 'Suite 5',
    city: 'Mountain View',
    region: 'California',
    postalCode: '94043',
    country: 'US',
  },
};

export const PROFILES = {
  us: US,
  usbill: {
    ...US,
    billing: {
      givenName: 'John',
      familyName: 'Roe',
      organization: 'Acme GmbH',
      line1: 'Hauptstraße 5',
      city: 'München',
      region: 'Bayern',
      postalCode: '80331',
      country: 'Germany',
    },
  },
  de: {
    givenName: 'Max',
    familyName: 'Mustermann',
    email: 'max@example.de',
    tel: '030 901820',
    shipping: {
      line1: 'Unter den Linden 77',
      line2: '3. OG',
      city: 'Berlin',
      region: 'Berlin',
      postalCode: '10117',
      country: 'Deutschland',
    },
  },
  fr: {
    givenName: 'Camille',
    familyName: 'Martin',
    email: 'camille.martin@example.fr',
    tel: '06 12 34 56 78',
    shipping: {
      line1: '8 rue de Rivoli',
      line2: 'Bâtiment B',
      city: 'Paris',
      postalCode: '75004',
      country: 'FR'
    },
  },
  es: {
    givenName: 'Lucía',
    familyName: 'García López',
    email: 'lucia@example.es',
    tel: '+34 612 345 678',
    shipping: {
      line1: 'Calle Mayor 10',
      line2: '2º B',
      city: 'Madrid',
      region: 'Madrid',
      postalCode: '28013',
      country: 'España',
    },
  },
  jp: {
    givenName: '花子',
    familyName: '山田',
    email: 'hanako@example.jp',
    tel: '090-1234-5678',
    shipping: {
      line1: '千代田1-1',
      line2: '皇居ビル101',
      city: '千代田区',
      region: '東京都',
      postalCode: '〒100-0001',
      country: '日本',
    },
  },
  cn: {
    givenName: '小明',
    familyName: '王',
    email: 'xiaoming@example.cn',
    tel: '13800138000',
    shipping: {
      line1: '朝阳区建国路88号',
      city: '北京市',
      region: '北京',
      postalCode: '100022',
      country: 'CN',
    },
  },
};
