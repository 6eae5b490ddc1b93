#!/usr/bin/env python3
"""PyTorch's side of the train-step benchmark: the workload TrainBench measures for UlcAg.

ResNet-18 (torchvision topology, 7 classes), eager fp32: a train step is forward, cross-entropy,
backward and SGD (lr 0.01, momentum 0.9, weight decay 1e-4). As in UlcAg's train-step graph, the
batch comes from host memory as uint8 NHWC images and int64 labels, is copied to the device, and
normalized there (ImageNet mean and standard deviation); the loss comes back to the host every
step. Each step is timed between torch.cuda.synchronize() calls, after the warm-up steps.

    python3 tools/TrainBench/torch_train_bench.py --device cuda --res 112 224 --batch 32 128

Prints one JSON object per line and per (res, batch): images/second (median of the timed steps),
the fastest step, and peak memory (torch.cuda.max_memory_allocated and max_memory_reserved on a
GPU; the process's peak resident memory always).

Exit codes: 0 measured; 2 bad arguments; 3 the device cannot be used (PyTorch has no CUDA, or no
such GPU); 4 torch or torchvision cannot be imported.
"""
import argparse
import json
import resource
import statistics
import sys
import time

EXIT_DEVICE = 3
EXIT_NO_TORCH = 4
CLASSES = 7
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (default cpu)")
    ap.add_argument("--res", type=int, nargs="+", default=[112, 224], help="input sizes (default 112 224)")
    ap.add_argument("--batch", type=int, nargs="+", default=[32], help="batch sizes (default 32)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps first (default 3)")
    ap.add_argument("--steps", type=int, default=20, help="timed steps (default 20)")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    ap.add_argument("--cudnn-benchmark", choices=["on", "off"], default="on",
                    help="let cuDNN time its convolution algorithms first, as ONNX Runtime's CUDA "
                         "provider does by default (default on)")
    args = ap.parse_args(argv)
    if args.device != "cpu" and args.device != "cuda" and not (
            args.device.startswith("cuda:") and args.device[5:].isdigit()):
        ap.error(f"--device takes cpu, cuda or cuda:N, got '{args.device}'")
    for name in ("res", "batch"):
        if any(v < 1 for v in getattr(args, name)):
            ap.error(f"--{name} takes positive numbers")
    if args.warmup < 0 or args.steps < 1 or args.threads < 1:
        ap.error("--warmup takes 0 or more, --steps and --threads 1 or more")
    return args


def fail(message, code):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def measure(torch, torchvision, device, res, batch, args):
    """One (res, batch) cell: a fresh model and optimizer, warm-up, timed steps."""
    cuda = device.type == "cuda"
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (batch, res, res, 3), dtype=torch.uint8, generator=gen)
    labels = torch.randint(0, CLASSES, (batch,), dtype=torch.int64, generator=gen)
    model = torchvision.models.resnet18(num_classes=CLASSES).to(device)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    mean = torch.tensor(MEAN, device=device).view(1, 3, 1, 1) * 255
    std = torch.tensor(STD, device=device).view(1, 3, 1, 1) * 255

    def sync():
        if cuda:
            torch.cuda.synchronize(device)

    def step():
        x = images.to(device).permute(0, 3, 1, 2).float()
        x = (x - mean) / std
        y = labels.to(device)
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    if cuda:
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        sync()
        t = time.perf_counter()
        loss = step()
        sync()
        times.append(time.perf_counter() - t)
    median = statistics.median(times)
    result = {
        "tool": "pytorch",
        "torch": torch.__version__,
        "device": str(device),
        "res": res,
        "batch": batch,
        "warmup": args.warmup,
        "steps": args.steps,
        "img_per_s": round(batch / median, 2),
        "fastest_img_per_s": round(batch / min(times), 2),
        "median_step_ms": round(median * 1000, 3),
        "loss": round(loss, 4),
    }
    if cuda:
        result["gpu"] = torch.cuda.get_device_name(device)
        result["cudnn"] = torch.backends.cudnn.version()
        result["cudnn_benchmark"] = torch.backends.cudnn.benchmark
        result["max_allocated_mib"] = round(torch.cuda.max_memory_allocated(device) / 2**20, 1)
        result["max_reserved_mib"] = round(torch.cuda.max_memory_reserved(device) / 2**20, 1)
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    del model, opt
    return result


def main(argv):
    args = parse_args(argv)
    try:
        import torch
        import torchvision
    except ImportError as e:
        fail(f"PyTorch cannot be imported ({e}); install torch and torchvision "
             "(Debian: apt-get install python3-torch python3-torchvision)", EXIT_NO_TORCH)
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            fail(f"cannot use device {args.device}: this PyTorch ({torch.__version__}) has no CUDA "
                 "(a CPU-only build, or no GPU and driver visible); install a CUDA build of PyTorch", EXIT_DEVICE)
        index = device.index or 0
        if index >= torch.cuda.device_count():
            fail(f"cannot use device {args.device}: PyTorch sees {torch.cuda.device_count()} GPU(s)", EXIT_DEVICE)
        device = torch.device("cuda", index)
        torch.backends.cudnn.benchmark = args.cudnn_benchmark == "on"
    for res in args.res:
        for batch in args.batch:
            print(json.dumps(measure(torch, torchvision, device, res, batch, args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
