// Strips terminal control sequences from strings that came from a cluster or a file, before display.

// CSI (ESC [ ... final), OSC (ESC ] ... BEL|ST), DCS/SOS/PM/APC (ESC P|X|^|_ ... ST), other 2-char ESC sequences,
// 8-bit CSI/OSC forms, then any remaining C0 (except tab/newline) and C1 control.
const SEQUENCES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?|[\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Removes escape sequences and control characters; keeps tab and newline. */
export function sanitize(s: string): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(s)) return s;
  return s.replace(SEQUENCES, '').replace(CONTROLS, '');
}

/** Same as sanitize, and also folds newlines and tabs to spaces: for one-line cells and labels. */
export function sanitizeLine(s: string): string {
  return sanitize(s).replace(/[\t\n]/g, ' ');
}

/**
 * JSON text safe for a terminal with the same data: JSON.stringify escapes C0 controls but leaves DEL and the C1
 * controls (U+007F–U+009F, e.g. the 8-bit CSI U+009B) raw, so they are rewritten as \u00XX escapes.
 */
export function terminalSafeJson(json: string): string {
  return /[\x7f-\x9f]/.test(json) ? json.replace(/[\x7f-\x9f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : json;
}
