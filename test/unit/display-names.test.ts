import { describe, expect, it } from 'vitest';
import { Contact, DisplayName } from '../../server/src/store/validation';

const parse = (name: string) => DisplayName.safeParse(name);
const refusal = (name: string) => {
  const result = parse(name);
  return result.success ? undefined : result.error.issues[0]?.message;
};

describe('display names in the scripts of our 20 languages', () => {
  it.each([
    ['ko', '김민준'],
    ['en', 'Kim Signing'],
    ['zh-CN', '王秀英'],
    ['vi', 'Nguyễn Thị Minh Khai'],
    ['th', 'สมชาย ใจดี'],
    ['tl', 'Maria Clara dela Cruz'],
    ['km', 'សុខ ចាន់ថា'],
    ['mn', 'Бат-Эрдэнэ'],
    ['ru', 'Анна Петрова'],
    ['ja', '佐藤 花子'],
    ['lo', 'ສົມພອນ ແກ້ວມະນີ'],
    ['uz', 'Oʻgʻiloy Karimova'],
    ['ne', 'सुशीला कार्की'],
    ['id', 'Siti Nurhaliza'],
    ['my', 'အောင်ဆန်းစုကြည်'],
    // Sinhala writes "Sri" with a ZWJ after the virama: ශ ් ZWJ ර ී.
    ['si', 'ශ්\u200Dරියානි පෙරේරා'],
    // Bengali's র‍্য (ra, ZWJ, virama, ya): "Rachel".
    ['bn', 'র\u200D্যাচেল রায়'],
    ['fr', 'Éloïse Lefèvre'],
    ['ar', 'محمد علي'],
    ['ur', 'عمران خان'],
    // A Persian name, as an Urdu or Arabic-script user may write it: ZWNJ inside the word.
    ['fa', 'علی\u200Cرضا'],
    // A Japanese name's kanji variant (葛 with an ideographic variation selector).
    ['ja', '葛\u{E0100}飾 北斎'],
  ])('%s: %s passes', (_, name) => {
    expect(parse(name)).toEqual({ success: true, data: name });
  });

  it('is NFC-normalised: one name, one spelling', () => {
    const decomposed = 'Nguyễn Thị'.normalize('NFD');
    expect(decomposed).not.toBe('Nguyễn Thị');
    expect(DisplayName.parse(`  ${decomposed} `)).toBe('Nguyễn Thị'.normalize('NFC'));
    expect(DisplayName.parse('한국'.normalize('NFD'))).toBe('한국');
  });
});

describe('display names that would read other than they are', () => {
  it.each([
    ['right-to-left override', 'Kim\u202Egnis', 'U+202E'],
    ['left-to-right embedding', '\u202AKim', 'U+202A'],
    ['pop directional formatting', 'Kim\u202C', 'U+202C'],
    ['first-strong isolate', 'Kim \u2068Park\u2069', 'U+2068'],
    ['right-to-left isolate', '\u2067محمد', 'U+2067'],
    ['left-to-right mark', 'Kim\u200EPark', 'U+200E'],
    ['right-to-left mark', 'محمد\u200Fعلي', 'U+200F'],
    ['Arabic letter mark', 'عمران\u061Cخان', 'U+061C'],
  ])('refuses a %s', (_, name, codePoint) => {
    expect(refusal(name)).toBe(
      `must not contain characters that change the direction of text (${codePoint})`,
    );
  });

  it.each([
    ['zero-width space', 'Ki\u200Bm', 'U+200B'],
    ['word joiner', 'Kim\u2060Park', 'U+2060'],
    ['zero-width no-break space inside', 'Ki\uFEFFm', 'U+FEFF'],
    ['soft hyphen', 'Kim\u00ADPark', 'U+00AD'],
    ['Hangul filler (an "empty" Korean name)', '김\u3164민준', 'U+3164'],
    ['Hangul choseong filler', '\u115F김', 'U+115F'],
    ['Braille blank', 'Kim\u2800', 'U+2800'],
    ['combining grapheme joiner', 'Ki\u034Fm', 'U+034F'],
    ['tag character', 'Kim\u{E0041}', 'U+E0041'],
    ['private-use character', 'Kim\u{F0000}', 'U+F0000'],
    ['lone surrogate', 'Kim\uD800', 'U+D800'],
    ['line separator', 'Kim\u2028Park', 'U+2028'],
    ['interlinear annotation', 'Kim\uFFF9Park', 'U+FFF9'],
  ])('refuses a %s', (_, name, codePoint) => {
    expect(refusal(name)).toBe(`must not contain invisible characters (${codePoint})`);
  });

  it.each([
    ['between Latin letters', 'ad\u200Dmin'],
    ['between Hangul syllables', '김\u200C민준'],
    ['at the end of a Persian name', 'علی\u200C'],
    ['between two scripts', 'ශ්\u200DKim'],
    ['twice in a row', 'علی\u200C\u200Cرضا'],
    ['in an emoji sequence', 'Kim 👩\u200D💻'],
  ])('refuses ZWJ or ZWNJ %s', (_, name) => {
    expect(refusal(name)).toMatch(
      /^may contain U\+200[CD] only between two letters of a script that joins them/,
    );
  });

  it('refuses a variation selector after anything but a letter', () => {
    expect(refusal('Kim ❤\uFE0F')).toBe(
      'may contain a variation selector (U+FE0F) only right after a letter',
    );
  });

  it('refuses control characters and names with no letter', () => {
    expect(refusal('Kim\u0007')).toBe('must not contain control characters');
    expect(refusal('123')).toBe('must contain a letter');
    expect(refusal('  ')).toBe('must not be empty');
  });
});

describe('a volunteer contact (shown to supervisors) cannot be disguised either', () => {
  it.each([
    ['an e-mail address', 'lan.nguyen@example.org'],
    ['a phone number', '+82 10-1234-5678'],
    ['a Korean note', '평일 저녁에 연락 주세요'],
  ])('keeps %s', (_, text) => {
    expect(Contact.parse(text)).toBe(text);
  });

  it.each([
    ['a right-to-left override', 'gro.elpmaxe@\u202Enal'],
    ['a zero-width space', 'lan\u200B@example.org'],
    ['a left-to-right mark', '\u200E+82 10-1234-5678'],
    ['a control character', 'lan\u0007@example.org'],
  ])('refuses %s', (_, text) => {
    const result = Contact.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must not contain control, bidi or invisible characters');
  });

  it('is NFC-normalised, so one address is stored one way', () => {
    expect(Contact.parse('Nguye\u0302\u0303n@example.org')).toBe('Nguy\u1ec5n@example.org');
  });
});
