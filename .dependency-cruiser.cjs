// The import rule (ARCHITECTURE.md): data flows one way, sources → model → mesh → (analyze | trace | edit) → (app | cli) → ui.
// test/import-rule.test.ts runs this over src/ in `npm test`; a violation fails the run and names the import.
/** A layer may import only itself and the layers listed. */
function layer(name, allowed) {
  const ok = [name, ...allowed].join('|');
  return {
    name: `${name}-imports-only-${allowed.join('-') || 'itself'}`,
    severity: 'error',
    comment: `src/${name}/ may import only ${allowed.length ? allowed.map((a) => `src/${a}/`).join(', ') : 'itself'}`,
    from: { path: `^src/${name}/` },
    to: { path: '^src/', pathNot: `^src/(${ok})/` },
  };
}

module.exports = {
  forbidden: [
    layer('core', []),
    layer('model', ['core']),
    layer('mesh', ['model', 'core']),
    layer('analyze', ['mesh', 'model', 'core']),
    layer('trace', ['mesh', 'model', 'core']),
    layer('edit', ['mesh', 'model', 'core']),
    layer('sources', ['edit', 'model', 'core']),
    layer('format', ['mesh', 'model', 'core']),
    layer('app', ['sources', 'model', 'mesh', 'analyze', 'trace', 'edit', 'format', 'ui', 'core']),
    layer('ui', ['model', 'mesh', 'edit', 'trace', 'analyze', 'format', 'core']),
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'only the entry point (bin/) and cli/ itself import src/cli/',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'analyze-imports-only-its-types-in-ui',
      severity: 'error',
      comment: 'src/ui/ may take types from src/analyze/, never run the checks',
      from: { path: '^src/ui/' },
      to: { path: '^src/analyze/', pathNot: '^src/analyze/types\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-reaches-no-io',
      severity: 'error',
      comment: 'nothing src/ui/ imports, even transitively, reads files, opens sockets, starts processes or talks to a cluster',
      from: { path: '^src/ui/' },
      to: { reachable: true, path: ['^(node:)?(fs|fs/promises|net|child_process|http|https|tls)$', '@kubernetes/client-node'] },
    },
    {
      name: 'pure-layers-do-no-io',
      severity: 'error',
      comment: 'model/, mesh/, analyze/, trace/, edit/, format/ and core/ are pure: no file system, network or processes',
      from: { path: '^src/(model|mesh|analyze|trace|edit|format|core)/' },
      to: { path: '^(node:)?(fs|fs/promises|net|child_process|http|https|tls)$|@kubernetes/client-node' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
