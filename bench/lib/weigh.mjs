// A file's bytes as a page pays for them: raw, gzip level 9 and brotli quality 11 (node's
// zlib), the compressions the size checks and reports use.
import {brotliCompressSync, constants, gzipSync} from 'node:zlib';

export function weigh(bytes) {
  return {
    bytes: bytes.length,
    gzip: gzipSync(bytes, {level: 9}).length,
    brotli: brotliCompressSync(bytes, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 11,
                [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
              },
            }).length,
  };
}
