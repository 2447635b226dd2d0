// Import first in a test that needs every frame Ink writes: under CI=true Ink (is-in-ci, read when ink is first
// imported) writes only the last frame. Real terminals are never "in CI", so the tests drop those variables.
for (const key of Object.keys(process.env)) {
  if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) delete process.env[key];
}
