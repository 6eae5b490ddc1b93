// Classify aligned face crops with a UlcAg model.onnx in Node.js, without UlcAg:
//   npm install onnxruntime-node sharp
//   node classify.mjs model.onnx face1.png [face2.jpg ...]
// Prints one JSON line per crop: file, expression, probabilities by class, alpha.
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import sharp from "sharp";

// onnxruntime-node does not expose metadata_props, so read them from the protobuf:
// ModelProto field 14 holds StringStringEntryProto messages (key = 1, value = 2).
function readMetadata(bytes) {
  const meta = {};
  const varint = (buf, pos) => {
    let value = 0, shift = 0, b;
    do { b = buf[pos++]; value += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return [value, pos];
  };
  const fields = (buf, visit) => {
    let pos = 0;
    while (pos < buf.length) {
      let key; [key, pos] = varint(buf, pos);
      const field = Math.floor(key / 8), wire = key & 7;
      if (wire === 0) { [, pos] = varint(buf, pos); }
      else if (wire === 1) { pos += 8; }
      else if (wire === 5) { pos += 4; }
      else if (wire === 2) {
        let len; [len, pos] = varint(buf, pos);
        visit(field, buf.subarray(pos, pos + len));
        pos += len;
      } else { throw new Error(`unsupported protobuf wire type ${wire}`); }
    }
  };
  fields(bytes, (field, body) => {
    if (field !== 14) return;
    const entry = {};
    fields(body, (f, v) => { entry[f] = Buffer.from(v).toString("utf8"); });
    meta[entry[1]] = entry[2] ?? "";
  });
  return meta;
}

const [modelPath, ...crops] = process.argv.slice(2);
const modelBytes = readFileSync(modelPath);
const meta = readMetadata(modelBytes);
if (!meta["ulcag.classes"]) throw new Error(`${modelPath} has no ulcag.classes metadata: not a UlcAg export`);
const classes = JSON.parse(meta["ulcag.classes"]);
const size = Number(meta["ulcag.input_size"]);
const nchw = meta["ulcag.input_layout"] === "NCHW"; // model.float32.onnx
const session = await ort.InferenceSession.create(modelBytes);

// Raw 0-255 RGB pixels of each crop, size x size, one after another (the model normalizes).
const pixels = Buffer.concat(await Promise.all(crops.map((file) =>
  sharp(file).removeAlpha().resize(size, size, { fit: "fill" }).raw().toBuffer())));
const n = crops.length;
let image;
if (nchw) {
  const planar = new Float32Array(n * 3 * size * size);
  const plane = size * size;
  for (let i = 0; i < n; i++)
    for (let p = 0; p < plane; p++)
      for (let c = 0; c < 3; c++)
        planar[(i * 3 + c) * plane + p] = pixels[(i * plane + p) * 3 + c];
  image = new ort.Tensor("float32", planar, [n, 3, size, size]);
} else {
  image = new ort.Tensor("uint8", new Uint8Array(pixels), [n, size, size, 3]);
}

const { probabilities, alpha } = await session.run({ image });
for (let i = 0; i < n; i++) {
  const p = Array.from(probabilities.data.slice(i * classes.length, (i + 1) * classes.length));
  const best = p.indexOf(Math.max(...p));
  console.log(JSON.stringify({
    file: crops[i],
    expression: classes[best],
    probabilities: Object.fromEntries(classes.map((name, k) => [name, p[k]])),
    alpha: alpha.data[i],
  }));
}
