// The official OpenAI SDK's Responses API and legacy completions against the Ballast gateway.
// Started by the Java test OfficialSdkClientsTest, which passes BALLAST_URL and BALLAST_KEY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: `${process.env.BALLAST_URL}/v1`, apiKey: process.env.BALLAST_KEY, maxRetries: 0 });
const weather = {
  type: 'function',
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
};

test('responses.create answers with output_text and usage', async () => {
  const response = await client.responses.create({
    model: 'default',
    instructions: 'Be brief.',
    input: 'Say hello',
    metadata: { ticket: '42' },
  });
  assert.equal(response.object, 'response');
  assert.equal(response.status, 'completed');
  assert.match(response.id, /^resp_/);
  assert.ok(response.output_text.length > 0);
  assert.equal(response.output[0].type, 'message');
  assert.equal(response.metadata.ticket, '42');
  assert.ok(response.usage.input_tokens > 0);
  assert.ok(response.usage.output_tokens > 0);
  assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
});

test('responses.create with stream: true yields the Responses events', async () => {
  const stream = await client.responses.create({ model: 'default', input: 'Stream something', stream: true });
  const types = [];
  let text = '';
  let completed = null;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed') completed = event.response;
  }
  assert.equal(types[0], 'response.created');
  assert.equal(types.at(-1), 'response.completed');
  assert.ok(text.length > 0);
  assert.equal(completed.output[0].content[0].text, text);
});

test('responses.stream assembles the final response', async () => {
  const stream = client.responses.stream({ model: 'default', input: 'Stream something else' });
  let deltas = '';
  stream.on('response.output_text.delta', (event) => { deltas += event.delta; });
  const final = await stream.finalResponse();
  assert.equal(final.status, 'completed');
  assert.equal(final.output_text, deltas);
});

test('responses function tools: a call, then its output sent back', async () => {
  const first = await client.responses.create({ model: 'default', input: 'What is the weather in Oslo?', tools: [weather] });
  const call = first.output.find((item) => item.type === 'function_call');
  assert.equal(call.name, 'get_weather');
  assert.equal(typeof JSON.parse(call.arguments).city, 'string');

  const second = await client.responses.create({
    model: 'default',
    tools: [weather],
    input: [
      { role: 'user', content: 'What is the weather in Oslo?' },
      call,
      { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21 C' },
    ],
  });
  assert.equal(second.output[0].type, 'message');
  assert.ok(second.output_text.length > 0);
});

test('streamed function call arguments are reassembled by the SDK', async () => {
  const stream = client.responses.stream({ model: 'default', input: 'Weather?', tools: [weather] });
  const final = await stream.finalResponse();
  const call = final.output.find((item) => item.type === 'function_call');
  assert.equal(call.name, 'get_weather');
  assert.ok(JSON.parse(call.arguments).city);
});

test('structured output with text.format json_schema', async () => {
  const response = await client.responses.create({
    model: 'default',
    input: 'Give me a city',
    text: {
      format: {
        type: 'json_schema',
        name: 'city',
        strict: true,
        schema: { type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } }, required: ['name', 'population'], additionalProperties: false },
      },
    },
  });
  const parsed = JSON.parse(response.output_text);
  assert.equal(typeof parsed.name, 'string');
  assert.equal(typeof parsed.population, 'number');
});

test('responses: a missing input is a 400 naming it', async () => {
  await assert.rejects(
    client.responses.create({ model: 'default' }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'input',
  );
});

test('previous_response_id continues a stored response, which responses.retrieve returns', async () => {
  const first = await client.responses.create({ model: 'default', input: 'Remember the word kiwi' });
  const second = await client.responses.create({ model: 'default', input: 'Which word?', previous_response_id: first.id });
  assert.equal(second.previous_response_id, first.id);
  assert.ok(second.output_text.length > 0);
  const retrieved = await client.responses.retrieve(first.id);
  assert.equal(retrieved.id, first.id);
  assert.equal(retrieved.output_text, first.output_text);
});

test('a store: false response cannot be continued', async () => {
  const unstored = await client.responses.create({ model: 'default', input: 'forget me', store: false });
  await assert.rejects(
    client.responses.create({ model: 'default', input: 'and then?', previous_response_id: unstored.id }),
    (err) => err instanceof OpenAI.NotFoundError && err.param === 'previous_response_id',
  );
});

test('responses: an unknown model is a 404 in the OpenAI error shape', async () => {
  await assert.rejects(
    client.responses.create({ model: 'no-such-model', input: 'hi' }),
    (err) => err instanceof OpenAI.NotFoundError && err.code === 'model_not_found',
  );
});

test('completions.create answers a text completion', async () => {
  const completion = await client.completions.create({ model: 'default', prompt: 'Once upon a time', max_tokens: 50 });
  assert.equal(completion.object, 'text_completion');
  assert.equal(completion.choices.length, 1);
  assert.ok(completion.choices[0].text.length > 0);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.completion_tokens > 0);
});

test('completions.create with stream: true ends with a finish reason', async () => {
  const stream = await client.completions.create({ model: 'default', prompt: 'Stream a story', stream: true });
  let text = '';
  let finish = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.text ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.ok(text.length > 0);
  assert.equal(finish, 'stop');
});

test('completions: n other than 1 is a 400 naming it', async () => {
  await assert.rejects(
    client.completions.create({ model: 'default', prompt: 'x', n: 2 }),
    (err) => err instanceof OpenAI.BadRequestError && err.param === 'n',
  );
});
