/**
 * Go's fmt package for the template engine: Sprint, Sprintln, Sprintf and %v, byte-for-byte
 * as Go prints the values of our value model (see value.ts). Implementation in ./fmt/.
 */
export { formatValue, sprint, sprintf, sprintln } from './fmt/print.ts';
export { typeName } from './fmt/kinds.ts';
export { formatFloat } from './fmt/ftoa.ts';
export { quote, quoteRune, quoteToASCII, isPrint } from './fmt/quote.ts';
export { compareGoStrings } from './fmt/printer.ts';
