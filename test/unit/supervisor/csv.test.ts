import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../client/src/supervisor/csv';

const BOM = '\uFEFF';

describe('CSV for Excel', () => {
  it('starts with a UTF-8 byte order mark and ends every line with CRLF', async () => {
    const csv = toCsv(['언어', '통화'], [['한국수어', 3]]);
    expect(csv).toBe(`${BOM}언어,통화\r\n한국수어,3\r\n`);
    // As a downloaded file: the BOM is the three bytes EF BB BF, the Korean is UTF-8.
    const bytes = new Uint8Array(await new Blob([csv]).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3, 9))).toBe('언어');
  });

  it('quotes fields with commas, quotes, line breaks or edge spaces, doubling the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Kim, Signing')).toBe('"Kim, Signing"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    expect(csvField(' padded')).toBe('" padded"');
  });

  it('writes numbers as numbers, empty cells for no value, and booleans Excel reads', () => {
    expect(toCsv(['a', 'b', 'c', 'd', 'e'], [[-12.5, null, undefined, true, Number.NaN]])).toBe(
      `${BOM}a,b,c,d,e\r\n-12.5,,,TRUE,\r\n`,
    );
  });

  it('keeps text that a spreadsheet would run as a formula from being one', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+82')).toBe("'+82");
    expect(csvField('-note')).toBe("'-note");
    expect(csvField('@me')).toBe("'@me");
    expect(csvField(-3)).toBe('-3');
  });
});
