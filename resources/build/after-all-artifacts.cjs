// electron-builder rebuilds better-sqlite3 for Electron's ABI inside the checkout's node_modules
// before packing (npmRebuild). Afterwards the checkout must run on Node again (`npm test`,
// `npm run web`, the collector), so the Node build is restored here.
/* global require, exports, process */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- electron-builder loads hooks as CommonJS
const { execFileSync } = require('node:child_process');

exports.default = async function restoreNodeNativeModules(context) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['rebuild', 'better-sqlite3'], { stdio: 'inherit', cwd: process.cwd() });
  return context.artifactPaths ?? [];
};
