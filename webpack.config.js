// Bundles for the browser-side parts, written to dist/ and served by the
// server. The on-send handler ("commands") runs in Outlook's JavaScript-only
// runtime on classic Outlook for Windows: one ES2016 file, no React, no
// chunks, and every dependency transpiled too. The task pane, the sign-in
// helper (MSAL, for runtimes with a DOM), the development harness and the
// portal are for current browsers.
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const dist = fileURLToPath(new URL('./dist/', import.meta.url));

/** One configuration per runtime, so each gets its own language target. */
function bundle(name, entry, target, env, options = {}) {
  const production = env.production === true;
  const rules = [
    {
      test: /\.tsx?$/,
      loader: 'esbuild-loader',
      options: { target, jsx: 'automatic' },
    },
  ];
  if (options.transpileDependencies === true) {
    // Packages ship modern syntax; the ES2016 runtime must not meet it.
    rules.push({ test: /\.m?js$/, loader: 'esbuild-loader', options: { target } });
  }
  return {
    name,
    mode: production ? 'production' : 'development',
    entry: { [name]: entry },
    target: ['web', target],
    output: { path: dist, filename: '[name].js' },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      // unpdf looks for pdfjs-dist's font data only under Node; browsers never ask for it.
      alias: { 'pdfjs-dist/package.json': false },
    },
    module: { rules },
    optimization: { splitChunks: false, runtimeChunk: false },
    // The server serves each bundle by name and nothing else: code loaded on
    // first use (PDF.js for attachment extraction) stays inside its bundle.
    plugins: [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 })],
    performance: { hints: false },
    // Source maps would be a second copy to serve; production has none.
    devtool: production ? false : options.inlineMaps === false ? false : 'source-map',
  };
}

export default (env = {}) => [
  // No source map for the event runtime: the JavaScript-only runtime loads exactly one file.
  bundle('commands', './src/addin/commands/index.ts', 'es2016', env, {
    transpileDependencies: true,
    inlineMaps: false,
  }),
  bundle('taskpane', './src/addin/taskpane/index.tsx', 'es2020', env),
  bundle('naa', './src/addin/auth/naa-entry.ts', 'es2020', env),
  bundle('harness', './src/addin/harness/index.ts', 'es2020', env),
  bundle('harness-frame', './src/addin/harness/frame.ts', 'es2020', env),
  bundle('portal', './src/portal/index.tsx', 'es2020', env),
];
