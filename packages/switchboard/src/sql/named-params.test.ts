import { describe, expect, it } from 'vitest';
import { compileNamed, compileTemplate, paramRefs, positionalToNamed, sql } from './named-params.js';
import { parseOrderBy, runtimeText } from './runtime-sql.js';
import { SqlCheckError } from './sql-check-error.js';

describe('named parameters', () => {
  it('numbers each distinct :name once and leaves casts, := and literals alone', () => {
    const compiled = compileNamed(
      `SELECT :a::int AS a, f(x := :b), ':c' AS s, "col:d", $q$ :e $q$, E'\\' :f', 1 -- :g
       /* :h /* nested :i */ :j */ FROM t WHERE b = :b AND arr[1: 2] = 1`,
    );
    expect(compiled.params).toEqual(['a', 'b']);
    expect(compiled.text).toContain('$1::int AS a, f(x := $2)');
    expect(compiled.text).toContain("':c' AS s, \"col:d\", $q$ :e $q$, E'\\' :f'");
    expect(compiled.text).toContain('WHERE b = $2');
  });

  it('drops a final semicolon and trailing comments so the statement can be wrapped', () => {
    expect(compileNamed('SELECT 1 AS x ; -- done\n').text).toBe('SELECT 1 AS x ');
    expect(compileNamed('SELECT 1 AS x; SELECT 2').text).toBe('SELECT 1 AS x; SELECT 2');
  });

  it('refuses positional placeholders; the tools.yaml form rewrites them to names first', () => {
    expect(() => compileNamed('SELECT $1')).toThrow(SqlCheckError);
    expect(() => compileNamed('SELECT $1')).toThrow(/positional placeholder \$1/);
    expect(positionalToNamed("SELECT $2, '$1', $1 -- $3", ['a', 'b'])).toBe("SELECT :b, '$1', :a -- $3");
    expect(() => positionalToNamed('SELECT $3', ['a'])).toThrow(/only 1 parameter/);
    expect(() => positionalToNamed('SELECT :a, $1', ['a'])).toThrow(/mixes/);
    // A dollar-quoted body or an identifier with $ is not a placeholder.
    expect(compileNamed('SELECT $$ $1 $$, a$1 FROM t').params).toEqual([]);
  });

  it('builds a template from parameter references only', () => {
    const p = paramRefs(['phone', 'limit']);
    const compiled = compileTemplate(
      sql`SELECT * FROM leads WHERE phone = ${p.phone!} OR alt = ${p.phone!} LIMIT ${p.limit!}`,
    );
    expect(compiled).toEqual({
      text: 'SELECT * FROM leads WHERE phone = $1 OR alt = $1 LIMIT $2',
      params: ['phone', 'limit'],
    });
    expect(() => sql`SELECT ${"'; DROP TABLE leads; --" as never}`).toThrow(/only parameters/);
    expect(() => compileTemplate(sql`SELECT $1`)).toThrow(/positional/);
  });
});

describe('order keys and the runtime text', () => {
  it('reads column names and directions, and nothing else', () => {
    expect(parseOrderBy('created_at DESC, "Name" asc, id')).toEqual([
      { column: 'created_at', descending: true },
      { column: 'Name', descending: false },
      { column: 'id', descending: false },
    ]);
    for (const bad of ['random()', 'id; DROP TABLE x', '1', 'id DESC NULLS LAST', '']) {
      expect(() => parseOrderBy(bad)).toThrow(SqlCheckError);
    }
  });

  it('wraps the statement with the keyset, the order and LIMIT n+1', () => {
    const order = parseOrderBy('created_at DESC, id DESC');
    expect(runtimeText('SELECT * FROM t -- c', order, 20, 3)).toBe(
      'SELECT * FROM (\nSELECT * FROM t -- c\n) AS sb_rows\nWHERE (sb_rows."created_at", sb_rows."id") < ($3, $4)\nORDER BY sb_rows."created_at" DESC, sb_rows."id" DESC\nLIMIT 21',
    );
    expect(runtimeText('SELECT 1', parseOrderBy('name, id DESC'), 5, 1)).toContain(
      'WHERE ((sb_rows."name" > $1) OR (sb_rows."name" = $1 AND sb_rows."id" < $2))',
    );
    expect(runtimeText('SELECT 1', [], 5)).toBe('SELECT * FROM (\nSELECT 1\n) AS sb_rows\nLIMIT 6');
  });
});
