// The meshscope TUI: header, tree (or list) pane, details pane, footer. State lives in app-state.ts (pure reducer);
// this file only lays out and binds keys.
import React, { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdin, useStdout } from 'ink';
import { appReducer, highlightOf, initState, paneHeight, searchResult, selectedNode, type Action, type AppState, type KeyInfo, type Pane, treeWidth } from './app-state.js';
import type { TreeNode } from '../mesh/tree-types.js';
import { detailsFor } from './details-cache.js';
import { detailsView } from './table/details-view.js';
import { fitLine, monochrome, type Line } from './format.js';
import { footerLines, headerLines, leftPaneLines, rightPaneLines } from './screen.js';
import { helpView } from './help.js';
import { validPlugins } from './keys.js';
import { OverlayViewport } from './OverlayViewport.js';
import type { MeshData, UiPlugin } from './types.js';

export interface AppProps {
  data: MeshData;
  plugins?: UiPlugin[];
  /** Defaults to the NO_COLOR environment variable. */
  noColor?: boolean;
  /** Called when the user quits (q, :q, Ctrl-C). Defaults to Ink's exit(). */
  onQuit?: () => void;
}

export interface Layout { columns: number; rows: number; left: number; right: number; body: number; zoom?: Pane }

/** `treeDelta`: columns added to (or taken from) the tree's default width (`<` `>`); `zoom`: the pane given the whole width (`z`). */
export function computeLayout(columns: number, rows: number, headerHeight: number, focusDetails: boolean, treeDelta = 0, zoom = false): Layout {
  const cols = Math.max(40, columns);
  // One row is left free: a frame as tall as the terminal makes Ink clear the screen on every update.
  const usable = Math.max(8, rows - 1);
  const body = Math.max(3, usable - headerHeight - 2);
  if (zoom) return { columns: cols, rows: usable, left: focusDetails ? 0 : cols, right: focusDetails ? cols : 0, body, zoom: focusDetails ? 'details' : 'tree' };
  const left = treeWidth(cols, focusDetails, treeDelta);
  return { columns: cols, rows: usable, left, right: cols - left - 1, body };
}

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

const BLANK: Line = [{ text: ' ' }];

const Row = memo(function Row({ line, width, noColor }: { line: Line; width: number; noColor: boolean }) {
  // Not padded to the width (Ink clears the rest of each row itself); an empty row keeps its height with one space.
  const fitted = fitLine(noColor ? monochrome(line) : line, width);
  const segs = fitted.some((s) => s.text !== '') ? fitted : BLANK;
  return (
    <Text wrap="truncate">
      {segs.map((s, i) => (
        <Text key={i} color={s.color} bold={s.bold} dimColor={s.dim} inverse={s.inverse} underline={s.underline}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
});

function Lines({ lines, width, noColor }: { lines: Line[]; width: number; noColor: boolean }) {
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      {lines.map((l, i) => (
        <Row key={i} line={l} width={width} noColor={noColor} />
      ))}
    </Box>
  );
}

export function App({ data, plugins = [], noColor = Boolean(process.env.NO_COLOR), onQuit }: AppProps) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize();
  const usable = useMemo(() => validPlugins(plugins), [plugins]);
  const [spin, setSpin] = useState(0);
  const loading = data.contexts.some((c) => c.status === 'loading');
  useEffect(() => {
    if (!loading) return;
    const t = setInterval(() => setSpin((n) => n + 1), 120);
    return () => clearInterval(t);
  }, [loading]);

  const header = useMemo(() => headerLines(data, size.columns, spin), [data, size.columns, spin]);
  const [state, setState] = useState(
    (): AppState => initState(data, computeLayout(size.columns, size.rows, header.length, false).body, usable.map((p) => p.key)),
  );
  const [overlay, setOverlay] = useState<{ key: string; node: TreeNode | undefined } | undefined>();
  const stateRef = useRef(state);
  stateRef.current = state;
  // New data from the provider is reduced during this render (React renders again at once, before any output), so no
  // frame shows the new header over the old tree.
  if (state.data !== data) {
    const next = appReducer(state, { type: 'data', data });
    stateRef.current = next;
    setState(next);
  }
  const layout = computeLayout(size.columns, size.rows, header.length, state.focus === 'details', state.treeDelta, state.zoom && state.mode !== 'search');

  // Reduce synchronously and carry out the effect the reducer left, so one key press is one render.
  const dispatch = useCallback((action: Action) => {
    let next = appReducer(stateRef.current, action);
    const effect = next.pending;
    if (effect) next = { ...next, pending: undefined };
    if (effect?.type === 'plugin') {
      const plugin = usable.find((x) => x.key === effect.key);
      const node = selectedNode(next);
      if (plugin?.appliesTo && !plugin.appliesTo(node)) {
        next = appReducer(next, { type: 'flash', text: plugin.notApplicable ?? `${plugin.key}: not available here`, kind: 'info' });
      } else if (plugin) {
        next = { ...next, mode: 'plugin' };
        setOverlay({ key: plugin.key, node });
      }
    }
    stateRef.current = next;
    setState(next);
    if (effect?.type === 'quit') (onQuit ?? exit)();
    else if (effect?.type === 'proxy' || effect?.type === 'context') {
      // Live actions run in the provider (src/cli); it answers with a flash and renders new MeshData as results arrive.
      try {
        const node = effect.type === 'proxy' ? next.index.byId.get(effect.nodeId) : undefined;
        const flash = effect.type === 'proxy' ? (node ? next.data.proxy?.(node, effect.op) : undefined) : next.data.setContext?.(effect.name, effect.on);
        if (flash) dispatch({ type: 'flash', text: flash.text, kind: flash.kind });
      } catch (err) {
        dispatch({ type: 'flash', text: err instanceof Error ? err.message : String(err), kind: 'error' });
      }
    } else if (effect?.type === 'refresh') {
      try {
        data.refresh();
      } catch (err) {
        dispatch({ type: 'flash', text: `refresh failed: ${err instanceof Error ? err.message : String(err)}`, kind: 'error' });
      }
    }
  }, [usable, data, onQuit, exit]);

  useEffect(() => dispatch({ type: 'plugins', keys: usable.map((p) => p.key) }), [usable]);
  useEffect(() => dispatch({ type: 'resize', bodyHeight: layout.body, columns: layout.columns }), [layout.body, layout.columns]);

  const pluginOpen = overlay !== undefined;
  const onKey = useCallback((input: string, key: KeyInfo) => dispatch({ type: 'key', input, key }), [dispatch]);
  useInput(onKey, { isActive: Boolean(isRawModeSupported) && !pluginOpen });

  const focusedDetails = state.focus === 'details';
  const node = selectedNode(state);
  const content = node ? detailsFor(state.data, node, state.tab, highlightOf(state, node)) : undefined;
  const view = useMemo(() => (content ? detailsView(content, state.table) : undefined), [content, state.table]);
  // Never more rows than this frame's body holds (the state learns a new size one render later).
  const h = Math.min(paneHeight(state), Math.max(1, layout.body - 1));
  const left = leftPaneLines(state, layout.left, h, !focusedDetails && state.mode !== 'search');
  const help = state.mode === 'help' ? helpView(usable, layout.columns, h + 1, state.helpTop) : undefined;
  const right = help ? help.lines : rightPaneLines(state, view, node, layout.right, h, focusedDetails);
  const helpMax = help?.maxTop;
  useEffect(() => {
    if (helpMax !== undefined) dispatch({ type: 'helpBounds', maxTop: helpMax });
  }, [helpMax]);
  const footer = footerLines(state, usable, layout.columns, searchResult(state));

  // The overlay's plugin as registered now: a module that finished loading replaces its stand-in under the same key.
  const overlayPlugin = overlay ? usable.find((p) => p.key === overlay.key) : undefined;
  useEffect(() => {
    if (overlay && !overlayPlugin) {
      setOverlay(undefined);
      dispatch({ type: 'closePlugin' });
    }
  }, [overlay, overlayPlugin]);

  let body: React.ReactNode;
  if (overlay && overlayPlugin) {
    const element = overlayPlugin.open({
      node: overlay.node,
      data: state.data,
      rows: layout.body,
      columns: layout.columns,
      close: () => {
        setOverlay(undefined);
        dispatch({ type: 'closePlugin' });
      },
      flash: (text, kind) => dispatch({ type: 'flash', text, kind }),
      jump: (id, opts) => {
        setOverlay(undefined);
        dispatch({ type: 'jump', id, highlightPath: opts?.highlightPath, open: opts?.open });
      },
    });
    const caption = overlayPlugin.caption?.(overlay.node);
    body = <OverlayViewport key={overlay.key} rows={layout.body} columns={layout.columns} caption={caption} noColor={noColor}>{element}</OverlayViewport>;
  } else if (state.mode === 'help') {
    body = <Lines lines={right} width={layout.columns} noColor={noColor} />;
  } else if (layout.zoom) {
    body = <Lines lines={layout.zoom === 'tree' ? left : right} width={layout.columns} noColor={noColor} />;
  } else {
    body = (
      <Box flexDirection="row" height={layout.body}>
        <Lines lines={left} width={layout.left} noColor={noColor} />
        {/* The pane separator is a left border: one write per frame instead of a text node per row. */}
        <Box width={1} height={layout.body} flexShrink={0} borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} borderDimColor={!noColor} />
        <Lines lines={right} width={layout.right} noColor={noColor} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={layout.columns}>
      <Lines lines={header} width={layout.columns} noColor={noColor} />
      {body}
      <Lines lines={footer} width={layout.columns} noColor={noColor} />
    </Box>
  );
}
