// Bundles for the browser-side parts, written to dist/ and served by the
// server. The on-send handler ("commands") runs in Outlook's JavaScript-only
// runtime on classic Outlook for Windows: one ES2016 file, no React, no
// chunks. The task pane and the portal are React apps for current browsers.
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('./dist/', import.meta.url));

/** One configuration per runtime, so each gets its own language target. */
function bundle(name, entry, target, env) {
  const production = env.production === true;
  return {
    name,
    mode: production ? 'production' : 'development',
    entry: { [name]: entry },
    target: ['web', target],
    output: { path: dist, filename: '[name].js' },
    resolve: { extensions: ['.ts', '.tsx', '.js'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          loader: 'esbuild-loader',
          options: { target, jsx: 'automatic' },
        },
      ],
    },
    optimization: { splitChunks: false, runtimeChunk: false },
    performance: { hints: false },
    devtool: production ? false : 'source-map',
  };
}

export default (env = {}) => [
  bundle('commands', './src/addin/commands/index.ts', 'es2016', env),
  bundle('taskpane', './src/addin/taskpane/index.tsx', 'es2020', env),
  bundle('portal', './src/portal/index.tsx', 'es2020', env),
];
