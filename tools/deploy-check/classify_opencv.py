# Classify aligned face crops with a UlcAg model in OpenCV's DNN module alone (no ONNX Runtime):
#   apt-get install python3-opencv   (Debian 12: OpenCV 4.6)   or   pip install opencv-python-headless
#   python3 classify_opencv.py model.float32.onnx face1.png [face2.jpg ...]   (model.onnx works too)
# Prints one JSON line per crop: file, expression, probabilities by class, alpha.
import json
import sys

import cv2
import numpy as np


def read_metadata(path):
    """metadata_props of an ONNX file: ModelProto field 14 holds StringStringEntryProto (key = 1, value = 2)."""
    def varint(buf, pos):
        value = shift = 0
        while True:
            b = buf[pos]
            pos += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return value, pos

    def fields(buf):  # the length-delimited fields of one message
        pos = 0
        while pos < len(buf):
            key, pos = varint(buf, pos)
            field, wire = key >> 3, key & 7
            if wire == 0:
                _, pos = varint(buf, pos)
            elif wire in (1, 5):
                pos += 8 if wire == 1 else 4
            elif wire == 2:
                length, pos = varint(buf, pos)
                yield field, buf[pos:pos + length]
                pos += length
            else:
                raise ValueError(f"unsupported protobuf wire type {wire}")

    with open(path, "rb") as f:
        model = memoryview(f.read())
    meta = {}
    for field, body in fields(model):
        if field == 14:
            entry = dict(fields(body))
            meta[bytes(entry[1]).decode()] = bytes(entry.get(2, b"")).decode()
    return meta


model_path, crops = sys.argv[1], sys.argv[2:]
meta = read_metadata(model_path)
if "ulcag.classes" not in meta:
    sys.exit(f"{model_path} is not a UlcAg export (no ulcag.classes metadata)")
classes = json.loads(meta["ulcag.classes"])
size = int(meta["ulcag.input_size"])

# Raw 0-255 RGB pixels (the model normalizes). OpenCV reads BGR; INTER_AREA shrinks by averaging.
images = []
for path in crops:
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)  # gray and alpha images become 3-channel BGR
    if bgr is None:
        sys.exit(f"{path}: not a readable image")
    crop = cv2.resize(bgr, (size, size), interpolation=cv2.INTER_AREA)
    images.append(cv2.cvtColor(crop, cv2.COLOR_BGR2RGB))
if meta["ulcag.input_layout"] == "NCHW":  # model.float32.onnx: float32 [N, 3, H, W]
    blob = cv2.dnn.blobFromImages(images, 1.0, (size, size), swapRB=False, crop=False)
else:  # model.onnx: uint8 [N, H, W, 3]
    blob = np.stack(images)

net = cv2.dnn.readNetFromONNX(model_path)
net.setInput(blob, "image")
probabilities, alpha = net.forward(["probabilities", "alpha"])
for path, p, a in zip(crops, probabilities, alpha.reshape(-1)):
    print(json.dumps({
        "file": path,
        "expression": classes[int(p.argmax())],
        "probabilities": dict(zip(classes, p.tolist())),
        "alpha": float(a),
    }))
