// Drives llmstruct serve's OpenAI-compatible endpoint with the official openai npm client (pinned in package.json).
// Usage: OPENAI_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=<serve token> node client.mjs
// Prints one JSON object: the models listed, a whole answer, and a streamed answer put together from its chunks.
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0, timeout: 30000 });

const models = await client.models.list();
const whole = await client.chat.completions.create({
  model: "llmstruct",
  messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Say hello" }],
});
const stream = await client.chat.completions.create({
  model: "llmstruct",
  messages: [{ role: "user", content: [{ type: "text", text: "Say hello slowly" }] }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = "";
let chunks = 0;
let usage = null;
let finish = null;
for await (const chunk of stream) {
  chunks++;
  if (chunk.usage) usage = chunk.usage;
  const choice = chunk.choices[0];
  if (choice?.delta?.content) text += choice.delta.content;
  if (choice?.finish_reason) finish = choice.finish_reason;
}
let unauthorized = null;
try {
  await new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: "wrong", maxRetries: 0 }).models.list();
} catch (e) {
  unauthorized = { status: e.status, type: e.type ?? e.error?.type ?? null };
}
console.log(JSON.stringify({
  models: models.data.map((m) => m.id),
  whole: { text: whole.choices[0].message.content, model: whole.model, usage: whole.usage, finish: whole.choices[0].finish_reason },
  stream: { text, chunks, usage, finish },
  unauthorized,
}));
