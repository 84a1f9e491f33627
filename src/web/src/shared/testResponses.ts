// Answers for a stubbed fetch in component tests, shaped as the server sends them (problems as application/problem+json).
export function json(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json' },
  });
}
