// Terminal-safe text for what feeds and servers send: one line, no control characters, cut to a width.

/** Feed names and server messages end up in a terminal: no control characters, one line. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
