import sys, time, tempfile, shutil, collections
from pathlib import Path
sys.path.insert(0, "/work/wt-imports/benchmarks")
import cards as bc
from deskwork.store import bulk, rowjson
import orjson
T = collections.defaultdict(float); N = collections.Counter()
orig = bulk.Encoder.encode
def enc(self, op):
    t = time.perf_counter(); r = orig(self, op); T[op.kind] += time.perf_counter() - t; N[op.kind] += len(op.docs)
    if op.kind == "appm" and not T.get("printed") and T.__setitem__("printed", 1) is None:
        docs = op.docs
        t = time.perf_counter(); rows = {k: d.__dict__ for k, d in docs.items()}; t1 = time.perf_counter(); orjson.dumps(rows, option=rowjson._OPTIONS); t2 = time.perf_counter()
        print("month rows", len(docs), "dict", t1 - t, "dumps", t2 - t1, "sample", next(iter(docs.values())).__dict__)
    return r
bulk.Encoder.encode = enc
work = Path(tempfile.mkdtemp())
print(bc._import_s(Path("/tmp/imports-bench/personal.apkg"), work / "a"))
print(dict(T), N)
shutil.rmtree(work)
