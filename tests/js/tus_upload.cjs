// Uploads one file to manod with tus-js-client (the tus project's own client), as a web or
// Node program of a platform would. Run by tus_js_client_test.py:
//   node tus_upload.cjs ENDPOINT FILE [CHUNK_SIZE] [abort]
// The token comes in the environment (MANO_TOKEN), never in argv. Prints one JSON line:
// {"url": "<upload URL>", "chunks": N, "resumes": N} on success; exits 1 with the error.
// With `abort`, the upload is terminated after its first chunk with the library's
// abort(true) (a DELETE of the upload, tus termination), and the line is
// {"url": "<upload URL>", "chunks": N, "aborted": true}.
'use strict';
const fs = require('fs');
const tus = require('tus-js-client');

const [endpoint, file, chunk, mode] = process.argv.slice(2);
const bytes = fs.readFileSync(file);
let chunks = 0;
let resumes = 0;
const options = {
  endpoint,
  headers: { Authorization: 'Bearer ' + process.env.MANO_TOKEN },
  // The library's default retry delays, spelled out so a new default cannot hide a change:
  // a cut is retried at once, and again after 1, 3 and 5 s when no byte got through.
  retryDelays: [0, 1000, 3000, 5000],
  onChunkComplete: () => {
    chunks += 1;
    if (mode === 'abort' && chunks === 1) {
      upload.abort(true).then(
        () => console.log(JSON.stringify({ url: upload.url, chunks, aborted: true })),
        (err) => {
          console.error('tus abort(true) failed: ' + err);
          process.exit(1);
        });
    }
  },
  // Each resume after a cut starts with HEAD (the library's own retry rule decides when).
  onBeforeRequest: (req) => {
    if (req.getMethod() === 'HEAD') resumes += 1;
  },
  onError: (err) => {
    console.error('tus upload failed: ' + err);
    process.exit(1);
  },
  onSuccess: () => {
    console.log(JSON.stringify({ url: upload.url, chunks, resumes }));
  },
};
if (chunk && Number(chunk) > 0) options.chunkSize = Number(chunk);
const upload = new tus.Upload(bytes, options);
upload.start();
