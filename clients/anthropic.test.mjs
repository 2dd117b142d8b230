// The official Anthropic SDK against Ballast's /v1/messages front door.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ baseURL: process.env.BALLAST_URL, apiKey: process.env.BALLAST_KEY, maxRetries: 0 });

test('non-streaming message', async () => {
  const message = await client.messages.create({
    model: 'default',
    max_tokens: 256,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.content[0].type, 'text');
  assert.ok(message.content[0].text.length > 0);
  assert.ok(message.usage.output_tokens > 0);
});

test('streaming message', async () => {
  const stream = client.messages.stream({
    model: 'default',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Stream something' }],
  });
  let text = '';
  let lastUsage = null;
  stream.on('text', (t) => { text += t; });
  stream.on('streamEvent', (e) => { if (e.type === 'message_delta') lastUsage = e.usage; });
  const final = await stream.finalMessage();
  // Ballast's extra field in the last delta's usage reaches the SDK's events untouched.
  assert.equal(typeof lastUsage.cost_usd, 'number');
  assert.ok(text.length > 0);
  assert.equal(final.content[0].text, text);
  assert.equal(final.stop_reason, 'end_turn');
  assert.ok(final.usage.output_tokens > 0);
});

test('a stream cut mid-answer is continued: the SDK sees one whole message', async () => {
  const messages = [{ role: 'user', content: 'Tell me about continuation' }];
  const reference = await client.messages.create({ model: 'default', max_tokens: 256, messages });
  const stream = client.messages.stream({ model: 'cut-continued', max_tokens: 256, messages });
  let text = '';
  stream.on('text', (t) => { text += t; });
  const final = await stream.finalMessage();
  assert.equal(text, reference.content[0].text);
  assert.equal(final.content.length, 1);
  assert.equal(final.content[0].text, text);
  assert.equal(final.stop_reason, 'end_turn');
});

test('tool use', async () => {
  const message = await client.messages.create({
    model: 'default',
    max_tokens: 256,
    tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    messages: [{ role: 'user', content: 'Weather in Oslo?' }],
  });
  assert.equal(message.stop_reason, 'tool_use');
  const block = message.content.find((b) => b.type === 'tool_use');
  assert.equal(block.name, 'get_weather');
  assert.equal(typeof block.input.city, 'string');
});

test('unknown model is a not-found error in the Anthropic shape', async () => {
  await assert.rejects(
    client.messages.create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof Anthropic.NotFoundError && err.error?.error?.type === 'not_found_error',
  );
});

test('missing max_tokens is a 400', async () => {
  await assert.rejects(
    client.messages.create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof Anthropic.BadRequestError,
  );
});

test('countTokens counts locally and more text counts more', async () => {
  const short = await client.messages.countTokens({
    model: 'default',
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'How many tokens is this?' }],
  });
  const longer = await client.messages.countTokens({
    model: 'default',
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'How many tokens is this, with quite a few more words added to it?' }],
  });
  assert.ok(short.input_tokens > 0);
  assert.ok(longer.input_tokens > short.input_tokens);
});

test('countTokens of an unknown model is a not-found error', async () => {
  await assert.rejects(
    client.messages.countTokens({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof Anthropic.NotFoundError,
  );
});
