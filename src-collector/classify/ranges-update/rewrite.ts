import ts from 'typescript';

/**
 * Replaces the `asOf` and `prefixes` of `export const <name>: RangeSource = { … }` in a data
 * file's text, leaving everything else (comments, source, note) as it is. Parsed with the
 * TypeScript compiler, so the replacement hits exactly that object's two properties.
 */
export function rewriteRangeSource(
  text: string,
  name: string,
  asOf: string,
  prefixes: readonly string[],
): string {
  const file = ts.createSourceFile('data.ts', text, ts.ScriptTarget.Latest, true);
  let obj: ts.ObjectLiteralExpression | undefined;
  for (const st of file.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations)
      if (
        ts.isIdentifier(d.name) &&
        d.name.text === name &&
        d.initializer &&
        ts.isObjectLiteralExpression(d.initializer)
      )
        obj = d.initializer;
  }
  if (!obj) throw new Error(`no \`export const ${name} = { … }\` in the data file`);
  const prop = (key: string): ts.Expression => {
    const p = obj.properties.find(
      (x): x is ts.PropertyAssignment =>
        ts.isPropertyAssignment(x) && ts.isIdentifier(x.name) && x.name.text === key,
    );
    if (!p) throw new Error(`${name} has no ${key}`);
    return p.initializer;
  };
  const asOfNode = prop('asOf');
  const listNode = prop('prefixes');
  if (!ts.isStringLiteral(asOfNode) || !ts.isArrayLiteralExpression(listNode))
    throw new Error(`${name}: asOf must be a string and prefixes an array literal`);
  const list = prefixes.length === 0 ? '[]' : `[\n${prefixes.map((p) => `    '${p}',`).join('\n')}\n  ]`;
  const edits = [
    { start: asOfNode.getStart(file), end: asOfNode.getEnd(), text: `'${asOf}'` },
    { start: listNode.getStart(file), end: listNode.getEnd(), text: list },
  ].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** the current prefixes of that object, to report what changed */
export function currentPrefixes(text: string, name: string): string[] {
  const file = ts.createSourceFile('data.ts', text, ts.ScriptTarget.Latest, true);
  for (const st of file.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name || !d.initializer) continue;
      if (!ts.isObjectLiteralExpression(d.initializer)) continue;
      for (const p of d.initializer.properties)
        if (
          ts.isPropertyAssignment(p) &&
          ts.isIdentifier(p.name) &&
          p.name.text === 'prefixes' &&
          ts.isArrayLiteralExpression(p.initializer)
        )
          return p.initializer.elements.filter(ts.isStringLiteral).map((e) => e.text);
    }
  }
  return [];
}
