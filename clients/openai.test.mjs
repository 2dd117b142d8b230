// The official OpenAI SDK against the Ballast gateway. Started by the Java test
// OfficialSdkClientsTest, which passes BALLAST_URL and BALLAST_KEY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: `${process.env.BALLAST_URL}/v1`, apiKey: process.env.BALLAST_KEY, maxRetries: 0 });

test('non-streaming chat completion', async () => {
  const completion = await client.chat.completions.create({
    model: 'default',
    messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }],
  });
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.choices[0].message.content.length > 0);
  assert.ok(completion.usage.prompt_tokens > 0);
  assert.ok(completion.usage.completion_tokens > 0);
});

test('streaming chat completion with usage', async () => {
  const stream = await client.chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: 'Stream something' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    if (chunk.choices.length > 0) {
      text += chunk.choices[0].delta.content ?? '';
      finish = chunk.choices[0].finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(text.length > 0);
  assert.equal(finish, 'stop');
  assert.ok(usage && usage.completion_tokens > 0);
  // Ballast's extra field in the last usage: the SDK passes it through untouched.
  assert.equal(typeof usage.cost_usd, 'number');
});

test('cost and token headers on a non-streamed answer', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: 'default', messages: [{ role: 'user', content: 'Say hello' }] })
    .withResponse();
  assert.ok(Number.isFinite(Number(response.headers.get('x-ballast-cost-usd'))));
  assert.equal(Number(response.headers.get('x-ballast-input-tokens')), data.usage.prompt_tokens);
  assert.equal(Number(response.headers.get('x-ballast-output-tokens')), data.usage.completion_tokens);
});

test('a stream cut mid-answer is continued: the SDK sees one whole answer', async () => {
  const messages = [{ role: 'user', content: 'Tell me about continuation' }];
  const reference = await client.chat.completions.create({ model: 'default', messages });
  const stream = await client.chat.completions.create({
    model: 'cut-continued',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finishes = 0;
  let usages = 0;
  const ids = new Set();
  for await (const chunk of stream) {
    ids.add(chunk.id);
    if (chunk.choices.length > 0) {
      text += chunk.choices[0].delta.content ?? '';
      if (chunk.choices[0].finish_reason) finishes++;
    }
    if (chunk.usage) usages++;
  }
  assert.equal(text, reference.choices[0].message.content);
  assert.equal(finishes, 1);
  assert.equal(usages, 1);
  assert.equal(ids.size, 1);
});

test('tool calls', async () => {
  const completion = await client.chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: 'What is the weather in Oslo?' }],
    tools: [{
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    }],
  });
  const choice = completion.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  const call = choice.message.tool_calls[0];
  assert.equal(call.function.name, 'get_weather');
  assert.equal(typeof JSON.parse(call.function.arguments).city, 'string');
});

test('streaming tool calls are reassembled by the SDK', async () => {
  const stream = client.chat.completions.stream({
    model: 'default',
    messages: [{ role: 'user', content: 'Weather?' }],
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
  });
  const final = await stream.finalChatCompletion();
  const call = final.choices[0].message.tool_calls[0];
  assert.equal(call.function.name, 'get_weather');
  assert.ok(JSON.parse(call.function.arguments).city);
});

test('structured output with a json_schema response format', async () => {
  const completion = await client.chat.completions.create({
    model: 'default',
    messages: [{ role: 'user', content: 'Give me a city' }],
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'city',
        strict: true,
        schema: { type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } }, required: ['name', 'population'], additionalProperties: false },
      },
    },
  });
  const parsed = JSON.parse(completion.choices[0].message.content);
  assert.equal(typeof parsed.name, 'string');
  assert.equal(typeof parsed.population, 'number');
});

test('fenced JSON from a drifting provider is unwrapped', async () => {
  const completion = await client.chat.completions.create({
    model: 'fenced',
    messages: [{ role: 'user', content: 'Give me a city' }],
    response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } },
  });
  assert.equal(typeof JSON.parse(completion.choices[0].message.content).name, 'string');
});

test('embeddings (the SDK asks for base64 by default)', async () => {
  const response = await client.embeddings.create({ model: 'default', input: ['hello', 'world'] });
  assert.equal(response.data.length, 2);
  assert.ok(response.data[0].embedding.length > 0);
  assert.ok(response.data[0].embedding.every((v) => typeof v === 'number' && Number.isFinite(v)));
  assert.notDeepEqual(response.data[0].embedding, response.data[1].embedding);
});

test('models list labels the simulator', async () => {
  const models = [];
  for await (const m of client.models.list()) models.push(m);
  const def = models.find((m) => m.id === 'default');
  assert.equal(def.owned_by, 'ballast-simulator');
});

test('unknown model is a 404 in the OpenAI error shape', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
    (err) => err instanceof OpenAI.NotFoundError && err.status === 404 && err.code === 'model_not_found',
  );
});

test('a missing field is a 400 naming it', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'default' }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'messages',
  );
});

test('a wrong key is a 401', async () => {
  const bad = new OpenAI({ baseURL: `${process.env.BALLAST_URL}/v1`, apiKey: 'bk-wrong', maxRetries: 0 });
  await assert.rejects(bad.models.list(), (err) => err instanceof OpenAI.AuthenticationError);
});

test('a format violation is a 502 upstream_format_error, never a success', async () => {
  await assert.rejects(
    client.chat.completions.create({
      // The simulator fills strings with "x", which this schema's minLength rejects.
      model: 'default',
      messages: [{ role: 'user', content: 'Give me a city' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { name: { type: 'string', minLength: 3 } }, required: ['name'] } } },
    }),
    (err) => err.status === 502 && err.type === 'upstream_format_error',
  );
});
