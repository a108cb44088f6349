// SPDX-License-Identifier: MIT
// Drives `crashpilot mcp` with the official MCP TypeScript SDK client (Client + StdioClientTransport):
// the handshake, ping, tools/list and every tool, prompts and resources. The SDK validates every
// response against its schemas, so a malformed answer fails here even when the values look right.
//
// usage: node client.mjs CRASHPILOT CONFIG REQUEST_ID SECOND_REQUEST_ID
// Prints one JSON summary line; exits 1 with the reason on the first failed check.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

const [crashpilot, config, requestId, secondId] = process.argv.slice(2);
if (!secondId) {
  console.error('usage: node client.mjs CRASHPILOT CONFIG REQUEST_ID SECOND_REQUEST_ID');
  process.exit(2);
}

function check(cond, what, detail) {
  if (!cond) {
    throw new Error(`${what}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  }
}

async function call(client, name, args, expectError = false) {
  const r = await client.callTool({ name, arguments: args });
  check(Boolean(r.isError) === expectError, `${name} isError=${r.isError}`, r.structuredContent);
  check(r.content?.[0]?.type === 'text', `${name} text block`, r);
  check(JSON.stringify(JSON.parse(r.content[0].text)) === JSON.stringify(r.structuredContent),
        `${name} text equals structuredContent`, r);
  return r.structuredContent;
}

const transport = new StdioClientTransport({
  command: crashpilot,
  args: ['mcp', '--config', config],
  stderr: 'pipe',
});
let stderr = '';
transport.stderr?.on('data', (d) => { stderr += d; });
const client = new Client({ name: 'crashpilot-sdk-test', version: '1.0.0' });
const summary = { tools: [] };

try {
  await client.connect(transport);
  summary.protocol = LATEST_PROTOCOL_VERSION;
  summary.server = client.getServerVersion();
  check(summary.server?.name === 'crashpilot', 'serverInfo', summary.server);
  const caps = client.getServerCapabilities();
  check(caps?.tools && caps?.resources && caps?.prompts, 'capabilities', caps);
  check(typeof client.getInstructions() === 'string', 'instructions', client.getInstructions());
  await client.ping();

  const { tools } = await client.listTools();
  summary.tools = tools.map((t) => t.name);
  check(tools.length === 10, 'ten tools', summary.tools);
  for (const t of tools) {
    check(t.inputSchema.type === 'object' && t.inputSchema.additionalProperties === false,
          `${t.name} inputSchema`, t.inputSchema);
  }

  const list = await call(client, 'list_crashes', { status: 'all' });
  check(list.crashes.some((c) => c.request_id === requestId), 'list_crashes', list);
  const claim = await call(client, 'claim_crash', { request_id: requestId, agent: 'sdk-client' });
  const lease = claim.lease_id;
  check(/^[0-9a-f]{32}$/.test(lease), 'claim_crash lease', claim);
  const crash = await call(client, 'get_crash', { request_id: requestId, sections: ['crash'] });
  check(crash.crash.crash_function === 'DBCStorage::LookupEntry', 'get_crash', crash);
  const stack = await call(client, 'get_stack', { request_id: requestId, with_source: true });
  const frame = stack.frames.find((f) => f.line === 401);
  check(frame?.source?.text.includes('LookupEntry(mapid)'), 'get_stack with source', stack);
  const src = await call(client, 'get_source',
                         { request_id: requestId, path: frame.repo_path, line: 401, context_lines: 1 });
  check(src.text.includes('>   401'), 'get_source', src);
  await call(client, 'get_source', { request_id: requestId, path: '/etc/passwd', line: 1 }, true);
  await call(client, 'get_logs', { request_id: requestId });
  await call(client, 'similar_crashes', { request_id: requestId });
  const rejected = await call(client, 'submit_fix', {
    request_id: requestId, lease_id: lease, status: 'complete', analysis: { summary: 'x' },
    patch: { format: 'unified-diff', diff: '--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n-a\n+b\n' },
  }, true);
  check(rejected.problems.some((p) => p.includes('path traversal')), 'submit_fix rejection', rejected);
  const accepted = await call(client, 'submit_fix', {
    request_id: requestId, lease_id: lease, status: 'complete',
    analysis: { summary: 'mapid can be invalid', confidence: 0.5 },
    edits: [{ path: frame.repo_path, old_string: 'LookupEntry(mapid);',
              new_string: 'LookupEntry(mapid);\n    if (!entry)\n        return nullptr;' }],
  });
  check(accepted.accepted === true, 'submit_fix accepted', accepted);
  const status = await call(client, 'get_fix_status', { request_id: requestId });
  check(status.state === 'queued' && status.job_id === accepted.job_id, 'get_fix_status', status);
  const second = await call(client, 'claim_crash', { request_id: secondId });
  await call(client, 'release_crash',
             { request_id: secondId, lease_id: second.lease_id, reason: 'sdk test', outcome: 'give_up' });
  // Schema problems are tool errors, an unknown tool a protocol error.
  await call(client, 'get_crash', {}, true);
  let unknownRejected = false;
  try {
    await client.callTool({ name: 'no_such_tool', arguments: {} });
  } catch (e) {
    unknownRejected = e.code === -32602;
  }
  check(unknownRejected, 'unknown tool gives -32602', '');

  const { prompts } = await client.listPrompts();
  check(prompts.length === 1 && prompts[0].name === 'analyze_crash', 'prompts/list', prompts);
  const prompt = await client.getPrompt({ name: 'analyze_crash', arguments: { request_id: requestId } });
  check(prompt.messages[0].content.text.includes(requestId), 'prompts/get', prompt);

  const { resources } = await client.listResources();
  check(resources.some((r) => r.uri === `crash://${requestId}/request.json`), 'resources/list', resources);
  const { resourceTemplates } = await client.listResourceTemplates();
  check(resourceTemplates.length === 4, 'resources/templates/list', resourceTemplates);
  const report = await client.readResource({ uri: `crash://${requestId}/report.txt` });
  check(report.contents[0].text.includes('LookupEntry'), 'resources/read', report);

  await client.close();
  summary.ok = true;
  console.log(JSON.stringify(summary));
} catch (e) {
  console.error(`FAIL: ${e.message}\n--- crashpilot mcp stderr ---\n${stderr}`);
  await client.close().catch(() => {});
  process.exit(1);
}
