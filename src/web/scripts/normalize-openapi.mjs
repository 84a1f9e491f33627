// Reads an OpenAPI description on stdin and writes the form that is checked in: without "servers" (it names the
// address the server was reached at, which differs between runs), two-space indented, ending with a newline.
// OpenApiDescriptionTests.cs does the same before it compares.
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (text += chunk));
process.stdin.on('end', () => {
  const document = JSON.parse(text);
  delete document.servers;
  process.stdout.write(JSON.stringify(document, null, 2) + '\n');
});
