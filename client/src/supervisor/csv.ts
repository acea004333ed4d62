// CSV that Excel opens correctly with Korean (or Arabic, or Khmer) text: UTF-8 with a byte order
// mark (without it Excel guesses the ANSI code page), CRLF line ends (RFC 4180), and every field
// that needs it quoted with its quotes doubled. Pure apart from `downloadCsv`, so it is unit-tested.

export type CsvCell = string | number | boolean | null | undefined;

const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * Text a spreadsheet would run as a formula (= + - @, or a tab/CR before one) gets a leading
 * apostrophe: names and categories are typed by people, and a CSV must not become a macro.
 * Numbers are left alone, so a negative bias stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole file: BOM, the header row, the rows, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return BOM + lines.map((line) => line + CRLF).join('');
}

/** Saves the text as a file through a Blob link (no server round trip: it is the data on screen). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next task: the download has started by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
