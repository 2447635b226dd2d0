// `meshscope` on a terminal: renders the app with Ink on the alternate screen and restores the terminal on exit, on
// signals and on a crash. The first frame comes as soon as Ink is up: a snapshot folder's contexts show as loading
// (their names are the folder's sub-folders), then the folder is read, joined and analyzed (session.ts,
// data-adapter.ts) and the app re-renders. Nothing heavy (`yaml`, the parsers, the analyzers, trace, the weight editor,
// client-node) is imported before that first frame; the later features' keys hold stand-ins until their modules are
// in (plugins.ts). Live contexts are resolved first (a bad --context fails before any UI), then load one by one.
import type { GlobalOptions } from '../core/options.js';
import type { MeshData, UiPlugin } from '../ui/types.js';
import type { TuiSession } from './session.js';
import { loadPluginFactory, pendingPlugins, type PluginFactory } from './plugins.js';

const ALT_ON = '\x1b[?1049h\x1b[H\x1b[2J';
const ALT_OFF = '\x1b[?25h\x1b[?1049l';

export interface TuiOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

/** Runs the TUI until the user quits. Returns the exit code; a source that cannot be opened throws (UserError). */
export async function runTui(globals: GlobalOptions, o: TuiOptions = {}): Promise<number> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';

  // Before the first frame: React, Ink, the app, and what the header names (a snapshot's context folders; live:
  // the resolved contexts, whose session starts loading them right after the first frame).
  const [React, ink, ui, keys, first] = await Promise.all([
    import('react'), import('ink'), import('../ui/App.js'), import('../ui/plugin-keys.js'),
    globals.fixtures ? snapshotLoadingData(globals).then((data) => ({ data, session: undefined })) : openSession(globals).then((session) => ({ data: session.data(), session })),
  ]);
  let session: TuiSession | undefined = first.session;
  let current: MeshData = first.data;
  let plugins: UiPlugin[] = pendingPlugins(keys);
  let rerender: ((d: MeshData) => void) | undefined;

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try { if (stdin.isTTY) stdin.setRawMode(false); } catch { /* already closed */ }
    stdout.write(ALT_OFF);
  };
  const onCrash = (err: unknown) => {
    try { instance.unmount(); } catch { /* ignore */ }
    restore();
    process.stderr.write(`meshscope: internal error: ${message(err)}\n`);
    if (process.env.MESHSCOPE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    try { instance.unmount(); } catch { /* ignore */ }
    restore();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', restore);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(s, onSignal);

  stdout.write(ALT_ON);
  const element = (d: MeshData) => React.createElement(ui.App, { data: d, plugins });
  const instance = ink.render(element(current), {
    stdout, stdin, maxFps: 120, incrementalRendering: process.env.MESHSCOPE_INCREMENTAL === "1", exitOnCtrlC: true, patchConsole: true,
  });
  rerender = (d) => instance.rerender(element(d));

  // After the first frame: (snapshot) the folder loads, then the features' modules; keys typed meanwhile act on the
  // loaded data when it arrives (the app keeps its state across new data) or are harmless on the empty tree.
  let exited = false;
  let fatal: { err: unknown } | undefined;
  const exit = instance.waitUntilExit().finally(() => { exited = true; });
  void (async () => {
    await new Promise((r) => setImmediate(r));
    let factory: PluginFactory | undefined;
    let opened: TuiSession | undefined;
    const build = () => { if (factory && opened) plugins = factory(opened.currentInput(), opened.currentMesh()); };
    const s = session ?? (await openSession(globals));
    session = s;
    if (exited) { s.stop(); return; }
    opened = s;
    s.onUpdate((u) => {
      current = u.data;
      if (u.meshChanged) build();
      rerender?.(current);
    });
    current = s.data();
    rerender(current);
    s.start();
    // The features' modules load once the tree is on screen; their keys open them as soon as they are in.
    // A live write is followed to the proxies: its progress is the status line, then the tree is read again.
    factory = await loadPluginFactory(globals, keys, {
      afterWrite: (preps, results) => {
        void import('./weights-follow.js').then((m) => m.followAfterWrite(globals, preps, results, {
          status: (st) => s.setStatus(st),
          done: (stale) => {
            s.watchProxies(stale);
            s.refresh();
            // The verdict stays a while, then the hints come back.
            setTimeout(() => s.setStatus(undefined), 30_000).unref();
          },
        }));
      },
    });
    if (exited) return;
    build();
    rerender(current);
  })().catch((err: unknown) => {
    // The folder could not be opened after all (it changed, or a flag does not apply): leave the UI and say why.
    if (exited) return;
    fatal = { err };
    instance.unmount();
  });

  let code = 0;
  try {
    await exit;
  } catch (err) {
    restore();
    process.stderr.write(`meshscope: internal error: ${message(err)}\n`);
    code = 1;
  } finally {
    session?.stop();
    restore();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    for (const s of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(s, onSignal);
  }
  if (fatal) throw fatal.err;
  return code;
}

/** A snapshot folder before it is read: each selected context folder as loading (an unknown --context fails here). */
async function snapshotLoadingData(globals: GlobalOptions): Promise<MeshData> {
  const dir = globals.fixtures!;
  const { snapshotContextNames, selectContexts } = await import('../sources/snapshot-contexts.js');
  const all = await snapshotContextNames(dir);
  const names = selectContexts(all, globals.context, dir);
  return {
    source: dir, readOnly: globals.readOnly, roots: [], contexts: names.map((name) => ({ name, status: 'loading' })),
    contextChoices: all, details: () => ({ related: [] }), refresh: () => {},
    setContext: () => ({ text: `still reading ${dir}: :ctx works once it is loaded`, kind: 'info' }),
  };
}

/** The session that owns the contexts (snapshot: reads the folder; live: resolves the contexts, loads them on start()). */
async function openSession(globals: GlobalOptions): Promise<TuiSession> {
  const [yaml, views, join, tree, sessions] = await Promise.all([
    import('yaml'), import('../model/envoy/views.js'), import('../mesh/join.js'), import('../mesh/tree.js'), import('./session.js'),
  ]);
  return sessions.TuiSession.open(globals, { yaml, views, join, tree });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
