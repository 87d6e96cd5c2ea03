/**
 * fast-xml-parser's validator speaks English; the agent gets the reason in German (the original
 * stays in the error's detail for the log).
 */
const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^Expected closing tag '(.+)' \(opened in line (\d+), col (\d+)\) instead of closing tag '(.+)'\.$/,
    (m) =>
      `Das schließende Tag </${m[4]}> passt nicht: erwartet wurde </${m[1]}> (geöffnet in Zeile ${m[2]}, Spalte ${m[3]}).`,
  ],
  [/^Closing tag '(.+)' has not been opened\.$/, (m) => `Das schließende Tag </${m[1]}> wurde nie geöffnet.`],
  [
    /^Closing tag '(.+)' doesn't have proper closing\.$/,
    (m) => `Dem schließenden Tag </${m[1]}> fehlt das „>“.`,
  ],
  [
    /^Closing tag '(.+)' can't have attributes or invalid starting\.$/,
    (m) => `Das schließende Tag </${m[1]}> darf keine Attribute haben.`,
  ],
  [/^Unclosed tag '(.+)'\.$/, (m) => `Das Tag <${m[1]}> wird nie geschlossen (Datei abgeschnitten?).`],
  [
    /^Invalid '\[(.*)\]' found\.$/,
    (m) => `Diese Tags werden nie geschlossen: ${m[1]?.replace(/\s+/g, ' ')}.`,
  ],
  [/^Tag '(.*)' is an invalid name\.$/, (m) => `„${m[1]}“ ist kein gültiger Tag-Name.`],
  [/^Invalid space after '<'\.$/, () => 'Nach „<“ darf kein Leerzeichen stehen.'],
  [
    /^Attributes for '(.+)' have open quote\.$/,
    (m) => `Ein Attributwert von <${m[1]}> hat kein schließendes Anführungszeichen.`,
  ],
  [/^Attribute '(.+)' is repeated\.$/, (m) => `Das Attribut „${m[1]}“ steht doppelt.`],
  [/^Attribute '(.+)' is without value\.$/, (m) => `Das Attribut „${m[1]}“ hat keinen Wert.`],
  [/^attribute (.+) has no value assigned\.$/, (m) => `Das Attribut „${m[1]}“ hat keinen Wert.`],
  [
    /^boolean attribute '(.+)' is not allowed\.$/,
    (m) => `Das Attribut „${m[1]}“ hat keinen Wert (in XML nicht erlaubt).`,
  ],
  [
    /^Attribute '(.+)' has no space in starting\.$/,
    (m) => `Vor dem Attribut „${m[1]}“ fehlt ein Leerzeichen.`,
  ],
  [/^Attribute '(.+)' is an invalid name\.$/, (m) => `„${m[1]}“ ist kein gültiger Attributname.`],
  [/^char '&' is not expected\.$/, () => 'Ein „&“ steht ohne Entity (muss als „&amp;“ geschrieben werden).'],
  [/^char '(.)' is not expected\.$/, (m) => `Das Zeichen „${m[1]}“ ist hier nicht erlaubt.`],
  [/^Multiple possible root nodes found\.$/, () => 'Die Datei hat mehr als ein Wurzelelement.'],
  [/^Extra text at the end$/, () => 'Nach dem Wurzelelement folgt noch Text.'],
  [/^Start tag expected\.$/, () => 'Die Datei enthält kein XML-Element (leer oder kein XML).'],
  [
    /^XML declaration allowed only at the start of the document\.$/,
    () => 'Die XML-Deklaration (<?xml …?>) darf nur ganz am Anfang stehen.',
  ],
];

export function germanXmlReason(msg: string): string {
  for (const [re, fn] of RULES) {
    const m = re.exec(msg);
    if (m) return fn(m);
  }
  return `Der XML-Prüfer meldet: ${msg}`;
}
