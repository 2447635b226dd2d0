// Every overlay (weight editor and its confirmation, trace, problems, pending modules) is laid out at its natural
// height and shown through this window: never taller than the rows it is given, scrolled with PgUp/PgDn, with the
// position shown and an optional caption (what the overlay is about) kept on screen.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, measureElement, useInput, useStdin, type DOMElement } from 'ink';
import { sanitizeLine } from '../core/sanitize.js';
import { viewportWindow, viewportKey } from './viewport.js';

export interface OverlayViewportProps {
  rows: number;
  columns: number;
  /** Kept on the first row while the content does not fit (e.g. "context cluster-a · namespace app · VirtualService demoapp"). */
  caption?: string;
  /** Defaults to stdin raw-mode support. */
  isActive?: boolean;
  noColor?: boolean;
  children: React.ReactNode;
}

export function OverlayViewport({ rows, columns, caption, isActive, noColor, children }: OverlayViewportProps) {
  const { isRawModeSupported } = useStdin();
  const content = useRef<DOMElement>(null);
  const [height, setHeight] = useState(0);
  const [top, setTop] = useState(0);
  // The content's natural height is known after Ink's layout. The overlay re-renders on its own (its state, async
  // results), so it is measured after every render here, after every key, and on a slow timer.
  const heightRef = useRef(0);
  const measure = () => {
    if (!content.current) return;
    const h = measureElement(content.current).height;
    if (h !== heightRef.current) {
      heightRef.current = h;
      setHeight(h);
    }
  };
  useEffect(measure);
  useEffect(() => {
    const timer = setInterval(measure, 100);
    timer.unref?.();
    return () => clearInterval(timer);
  }, []);
  const win = viewportWindow({ rows, contentHeight: height, top, caption: Boolean(caption) });
  useInput((input, key) => {
    const next = viewportKey(win, input, key);
    if (next !== undefined && next !== top) setTop(next);
    setImmediate(measure);
    setTimeout(measure, 15);
  }, { isActive: isActive ?? Boolean(isRawModeSupported) });

  return (
    <Box flexDirection="column" height={rows} width={columns} overflow="hidden" flexShrink={0}>
      {win.showCaption && caption ? <Text bold wrap="truncate" color={noColor ? undefined : 'cyan'}>{sanitizeLine(caption)}</Text> : null}
      <Box height={win.view} overflow="hidden" flexDirection="column" flexShrink={0}>
        <Box ref={content} flexDirection="column" flexShrink={0} marginTop={-win.top} width={columns}>
          {children}
        </Box>
      </Box>
      {win.overflow ? <Text dimColor wrap="truncate">{win.position}</Text> : null}
    </Box>
  );
}
