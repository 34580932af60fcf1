import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import ts from 'typescript';
import { asOwner, createTestDatabase } from '../support/db';

/**
 * The Kysely declarations (`KovTables` in src/platform/db/tables.ts, extended by each module's
 * store through declaration merging) against the migrated database: every declared table and
 * column exists; what a column reads as (string, number, Date, …) is what `pg` with the platform's
 * type parsers returns for its PostgreSQL type; a column read as non-null is NOT NULL in the
 * database; a `Generated<>` column has a default. The compiler trusts the declarations, so a
 * wrong one is a query that type-checks and fails (or misreads) at run time: this is the check.
 */

type Kind = 'string' | 'number' | 'boolean' | 'date' | 'bytes' | 'array' | 'json' | 'any';

interface DeclaredColumn {
  kinds: Set<Kind>;
  nullable: boolean;
  generated: boolean;
}

const root = path.resolve(import.meta.dirname, '../..');

/** Reads `KovTables` with the TypeScript compiler, merged over every file of src/. */
function declaredTables(): Map<string, Map<string, DeclaredColumn>> {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json not readable');
  const program = ts.createProgram({
    rootNames: config.fileNames.filter((f) => f.includes(`${path.sep}src${path.sep}`)),
    options: { ...config.options, noEmit: true },
  });
  const checker = program.getTypeChecker();
  const tablesFile = program.getSourceFile(path.join(root, 'src/platform/db/tables.ts'));
  assert.ok(tablesFile, 'src/platform/db/tables.ts is part of the program');
  const iface = tablesFile.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'KovTables',
  );
  assert.ok(iface, 'KovTables is declared in tables.ts');
  const kovTables = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(iface.name)!);

  const typeOf = (symbol: ts.Symbol) => checker.getTypeOfSymbolAtLocation(symbol, iface);
  const members = (t: ts.Type) => (t.isUnion() ? t.types : [t]);

  const kindOf = (t: ts.Type): Kind | 'null' | 'undefined' => {
    const f = t.getFlags();
    if (f & ts.TypeFlags.Null) return 'null';
    if (f & ts.TypeFlags.Undefined) return 'undefined';
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'any';
    if (f & ts.TypeFlags.StringLike) return 'string';
    if (f & ts.TypeFlags.NumberLike) return 'number';
    if (f & ts.TypeFlags.BooleanLike) return 'boolean';
    if (checker.isArrayType(t) || checker.isTupleType(t)) return 'array';
    const name = t.getSymbol()?.getName();
    if (name === 'Date') return 'date';
    if (name === 'Buffer' || name === 'Uint8Array') return 'bytes';
    return 'json';
  };

  const tables = new Map<string, Map<string, DeclaredColumn>>();
  for (const table of checker.getPropertiesOfType(kovTables)) {
    const columns = new Map<string, DeclaredColumn>();
    for (const column of checker.getPropertiesOfType(typeOf(table))) {
      let generated = false;
      const kinds = new Set<Kind>();
      let nullable = false;
      // ColumnType<S, I, U> (Generated<T> is one) is an object with `__select__` and `__insert__`;
      // `Timestamp | null` is a union of one and null, which Kysely reads member by member.
      for (const member of members(typeOf(column))) {
        const select = member.getProperty('__select__');
        let read = [member];
        if (select) {
          const insert = checker.getTypeOfSymbolAtLocation(member.getProperty('__insert__')!, iface);
          if (members(insert).some((m) => m.getFlags() & ts.TypeFlags.Undefined)) generated = true;
          read = members(checker.getTypeOfSymbolAtLocation(select, iface));
        }
        for (const m of read) {
          const k = kindOf(m);
          if (k === 'null' || k === 'any') nullable = true;
          if (k !== 'null' && k !== 'undefined') kinds.add(k);
        }
      }
      columns.set(column.getName(), { kinds, nullable, generated });
    }
    tables.set(table.getName(), columns);
  }
  return tables;
}

/** What `pg`, with the platform's parsers (int8 → number, date → 'YYYY-MM-DD'), returns for a type. */
function kindsRead(dataType: string, udt: string): Kind[] {
  if (dataType === 'ARRAY') return ['array'];
  if (dataType === 'USER-DEFINED') return udt === 'tsvector' ? ['string'] : ['string'];
  switch (udt) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'oid':
      return ['number'];
    case 'numeric':
      return ['string'];
    case 'bool':
      return ['boolean'];
    case 'timestamptz':
    case 'timestamp':
      return ['date'];
    case 'bytea':
      return ['bytes'];
    case 'json':
    case 'jsonb':
      return ['json', 'array', 'string', 'number', 'boolean'];
    case 'interval':
      return ['json'];
    default:
      return ['string']; // text, varchar, bpchar, uuid, citext, inet, date, time, tsvector, …
  }
}

test('the declared table types match the migrated database', async () => {
  const declared = declaredTables();
  assert.ok(declared.size > 50, `KovTables lists the platform's tables (found ${declared.size})`);

  const ownerUrl = await createTestDatabase();
  const actual = await asOwner(ownerUrl, async (c) => {
    const { rows } = await c.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      udt_name: string;
      is_nullable: 'YES' | 'NO';
      has_default: boolean;
      is_view: boolean;
      is_generated: boolean;
    }>(`
      SELECT c.table_name, t.table_type = 'VIEW' AS is_view, c.column_name, c.data_type, c.udt_name, c.is_nullable,
             (c.column_default IS NOT NULL OR c.is_identity = 'YES' OR c.is_generated = 'ALWAYS') AS has_default,
             c.is_generated = 'ALWAYS' AS is_generated
        FROM information_schema.columns c
        JOIN information_schema.tables t USING (table_schema, table_name)
       WHERE c.table_schema = 'public'`);
    const byTable = new Map<string, Map<string, (typeof rows)[number]>>();
    for (const r of rows) {
      if (!byTable.has(r.table_name)) byTable.set(r.table_name, new Map());
      byTable.get(r.table_name)!.set(r.column_name, r);
    }
    return byTable;
  });

  const problems: string[] = [];
  for (const [table, columns] of declared) {
    const db = actual.get(table);
    if (!db) {
      problems.push(`${table}: declared, but no such table or view`);
      continue;
    }
    for (const [name, col] of columns) {
      const c = db.get(name);
      const where = `${table}.${name}`;
      if (!c) {
        problems.push(`${where}: declared, but no such column`);
        continue;
      }
      const reads = kindsRead(c.data_type, c.udt_name);
      const wrong = [...col.kinds].filter((k) => k !== 'any' && !reads.includes(k));
      if (wrong.length)
        problems.push(`${where}: declared as ${[...col.kinds].join(' | ')}, but ${c.udt_name} reads as ${reads[0]}`);
      // Views and generated columns report every column nullable: the expression decides.
      if (c.is_nullable === 'YES' && !col.nullable && !c.is_view && !c.is_generated)
        problems.push(`${where}: nullable in the database, declared without null`);
      // Optional on insert: the database fills it (a default, an identity, a generated column) or
      // leaves it null.
      if (col.generated && !c.has_default && c.is_nullable === 'NO')
        problems.push(`${where}: declared optional on insert (Generated<>), but NOT NULL without a default`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});
