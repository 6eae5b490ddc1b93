import json
import sys

import numpy as np
import onnxruntime as ort
from PIL import Image

# pip install onnxruntime numpy pillow
# python classify.py model.onnx face1.png [face2.jpg ...]
model_path, crops = sys.argv[1], sys.argv[2:]
session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
meta = session.get_modelmeta().custom_metadata_map
if "ulcag.classes" not in meta:
    sys.exit(f"{model_path} is not a UlcAg export (no ulcag.classes metadata)")
classes = json.loads(meta["ulcag.classes"])
size = int(meta["ulcag.input_size"])

# Raw 0-255 RGB pixels, [N, H, W, 3]; the model normalizes. BOX averages pixel areas like OpenCV's INTER_AREA (to rounding at whole-number scales).
batch = np.stack([
    np.asarray(Image.open(path).convert("RGB").resize((size, size), Image.Resampling.BOX), dtype=np.uint8)
    for path in crops
])
if meta["ulcag.input_layout"] == "NCHW":  # model.float32.onnx
    batch = batch.transpose(0, 3, 1, 2).astype(np.float32)

probabilities, alpha = session.run(["probabilities", "alpha"], {"image": batch})
for path, p, a in zip(crops, probabilities, alpha):
    scores = ", ".join(f"{name} {v:.3f}" for name, v in zip(classes, p))
    print(f"{path}: {classes[int(p.argmax())]} (alpha {a:.2f}) {scores}")
