import { msg, type Message, type MessageKey } from '../../../src-shared/messages';

/**
 * fast-xml-parser's validator speaks English sentences; the agent gets the reason as a message
 * key with its parameters (German and English in src-shared/i18n), the original stays in
 * `reasonRaw` and the error's detail for the log.
 */
type Rule = [RegExp, MessageKey, (m: RegExpExecArray) => Record<string, string>];

const RULES: Rule[] = [
  [
    /^Expected closing tag '(.+)' \(opened in line (\d+), col (\d+)\) instead of closing tag '(.+)'\.$/,
    'openimmoXmlWrongClosingTag',
    (m) => ({ expected: m[1]!, openLine: m[2]!, openCol: m[3]!, found: m[4]! }),
  ],
  [/^Closing tag '(.+)' has not been opened\.$/, 'openimmoXmlClosingNotOpened', (m) => ({ tag: m[1]! })],
  [/^Closing tag '(.+)' doesn't have proper closing\.$/, 'openimmoXmlClosingUnended', (m) => ({ tag: m[1]! })],
  [
    /^Closing tag '(.+)' can't have attributes or invalid starting\.$/,
    'openimmoXmlClosingAttributes',
    (m) => ({ tag: m[1]! }),
  ],
  [/^Unclosed tag '(.+)'\.$/, 'openimmoXmlUnclosedTag', (m) => ({ tag: m[1]! })],
  [/^Invalid '\[(.*)\]' found\.$/, 'openimmoXmlUnclosedTags', (m) => ({ tags: (m[1] ?? '').replace(/\s+/g, ' ') })],
  [/^Tag '(.*)' is an invalid name\.$/, 'openimmoXmlBadTagName', (m) => ({ name: m[1]! })],
  [/^Invalid space after '<'\.$/, 'openimmoXmlSpaceAfterLt', () => ({})],
  [/^Attributes for '(.+)' have open quote\.$/, 'openimmoXmlOpenQuote', (m) => ({ tag: m[1]! })],
  [/^Attribute '(.+)' is repeated\.$/, 'openimmoXmlAttributeRepeated', (m) => ({ name: m[1]! })],
  [/^Attribute '(.+)' is without value\.$/, 'openimmoXmlAttributeNoValue', (m) => ({ name: m[1]! })],
  [/^attribute (.+) has no value assigned\.$/, 'openimmoXmlAttributeNoValue', (m) => ({ name: m[1]! })],
  [/^boolean attribute '(.+)' is not allowed\.$/, 'openimmoXmlAttributeBoolean', (m) => ({ name: m[1]! })],
  [/^Attribute '(.+)' has no space in starting\.$/, 'openimmoXmlAttributeNoSpace', (m) => ({ name: m[1]! })],
  [/^Attribute '(.+)' is an invalid name\.$/, 'openimmoXmlBadAttributeName', (m) => ({ name: m[1]! })],
  [/^char '&' is not expected\.$/, 'openimmoXmlBareAmpersand', () => ({})],
  [/^char '(.)' is not expected\.$/, 'openimmoXmlUnexpectedChar', (m) => ({ char: m[1]! })],
  [/^Multiple possible root nodes found\.$/, 'openimmoXmlSeveralRoots', () => ({})],
  [/^Extra text at the end$/, 'openimmoXmlTextAfterRoot', () => ({})],
  [/^Start tag expected\.$/, 'openimmoXmlNoElement', () => ({})],
  [/^XML declaration allowed only at the start of the document\.$/, 'openimmoXmlLateDeclaration', () => ({})],
];

/** the validator's complaint at line:col as the agent's message (unknown ones quote the validator) */
export function xmlReasonMessage(raw: string, line: number, col: number): Message {
  for (const [re, key, params] of RULES) {
    const m = re.exec(raw);
    if (m) return msg(key, { line, col, ...params(m), reasonRaw: raw });
  }
  return msg('openimmoInvalidXmlReason', { line, col, reasonRaw: raw });
}
