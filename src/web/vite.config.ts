import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Brotli (quality 11) and gzip (level 9) copies of each hashed asset, made once at build time: the server sends the
// one the browser accepts (Api/BrowserApp.cs) instead of compressing the same files on every first visit.
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'deliberate-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir, config.build.assetsDir);
    },
    closeBundle() {
      for (const name of readdirSync(outDir)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const file = join(outDir, name);
        if (statSync(file).size < 1024) continue; // not worth a second request shape
        const content = readFileSync(file);
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(content, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
          }),
        );
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
      }
    },
  };
}

// `DELIBERATE_BUNDLE_REPORT=1 npm run build` prints what each chunk that the entry pulls in statically carries (the
// largest modules first): what a first load downloads before any part is chosen, and what to cut from it.
function bundleReport(): Plugin {
  return {
    name: 'deliberate-bundle-report',
    apply: () => process.env.DELIBERATE_BUNDLE_REPORT === '1',
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const modules = Object.entries(chunk.modules)
          .map(
            ([id, m]) => [id.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/'), m.renderedLength] as const,
          )
          .sort((a, b) => b[1] - a[1]);
        const total = modules.reduce((sum, [, size]) => sum + size, 0);
        console.log(`\n${chunk.fileName} ${(total / 1024).toFixed(1)} KB (imports ${chunk.imports.join(', ') || '-'})`);
        for (const [id, size] of modules.slice(0, 12))
          console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB ${id}`);
      }
    },
  };
}

// The server serves dist/ (copied to webapp/ beside the server binary by the .NET build); in development Vite proxies the API.
export default defineConfig({
  plugins: [react(), precompress(), bundleReport()],
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:5080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
