// The window an overlay is shown through (pure): which rows of its content are visible, and the position line.
import type { KeyInfo } from './state.js';

export interface ViewportWindow {
  /** The content is taller than the rows given. */
  overflow: boolean;
  /** Rows of content visible. */
  view: number;
  /** First content row visible (clamped). */
  top: number;
  maxTop: number;
  showCaption: boolean;
  /** "lines 1-17 of 26 · PgUp/PgDn scroll" */
  position: string;
}

export function viewportWindow(opts: { rows: number; contentHeight: number; top: number; caption: boolean }): ViewportWindow {
  const rows = Math.max(1, opts.rows);
  const overflow = opts.contentHeight > rows;
  const showCaption = overflow && opts.caption && rows >= 4;
  const view = overflow ? Math.max(1, rows - 1 - (showCaption ? 1 : 0)) : rows;
  const maxTop = overflow ? Math.max(0, opts.contentHeight - view) : 0;
  const top = Math.max(0, Math.min(opts.top, maxTop));
  const last = Math.min(opts.contentHeight, top + view);
  const more = top < maxTop ? ' ↓ more' : ' (end)';
  const position = `lines ${top + 1}-${last} of ${opts.contentHeight}${more} · PgUp/PgDn scroll`;
  return { overflow, view, top, maxTop, showCaption, position };
}

/** The new top for a scroll key, or undefined when the key is not one. */
export function viewportKey(win: ViewportWindow, _input: string, key: Partial<KeyInfo>): number | undefined {
  if (!win.overflow) return undefined;
  const page = Math.max(1, win.view - 1);
  const clamp = (n: number) => Math.max(0, Math.min(win.maxTop, n));
  if (key.pageDown) return clamp(win.top + page);
  if (key.pageUp) return clamp(win.top - page);
  return undefined;
}
