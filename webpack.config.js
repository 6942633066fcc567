// Bundles for the browser-side parts. The on-send handler ("commands") runs in
// Outlook's JavaScript-only runtime on classic Outlook for Windows, so it is a
// single ES2016 file with no React; the task pane and the portal are React apps.
// Each entry is added here together with its source.
export default (env = {}) => ({
  mode: env.production ? 'production' : 'development',
  entry: {},
  output: { path: new URL('./dist/', import.meta.url).pathname, filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js'] },
  devtool: env.production ? false : 'source-map',
});
