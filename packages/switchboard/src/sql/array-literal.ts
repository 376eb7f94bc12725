/**
 * Parses PostgreSQL's text form of an array (`{1,2}`, `{"a b",NULL}`, `{{1,2},{3,4}}`, `[0:1]={7,8}`) into nested
 * JavaScript arrays, each element through `element`. Written here so that both engines give identical values.
 */
export function parseArrayLiteral(text: string, element: (text: string) => unknown): unknown[] {
  let i = text.startsWith('[') ? text.indexOf('=') + 1 : 0;

  const parseLevel = (): unknown[] => {
    const items: unknown[] = [];
    i++; // the opening brace
    while (i < text.length) {
      const c = text[i];
      if (c === '}') {
        i++;
        return items;
      }
      if (c === ',') {
        i++;
      } else if (c === '{') {
        items.push(parseLevel());
      } else if (c === '"') {
        items.push(element(readQuoted()));
      } else {
        const start = i;
        while (i < text.length && text[i] !== ',' && text[i] !== '}') i++;
        const raw = text.slice(start, i).trim();
        items.push(raw.toUpperCase() === 'NULL' ? null : element(raw));
      }
    }
    return items;
  };

  const readQuoted = (): string => {
    let value = '';
    i++;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === '\\') {
        value += text[i + 1] ?? '';
        i += 2;
      } else if (c === '"') {
        i++;
        return value;
      } else {
        value += c;
        i++;
      }
    }
    return value;
  };

  return text[i] === '{' ? parseLevel() : [];
}
