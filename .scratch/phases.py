"""Phase timings (wall, no profiler) of our import: python .scratch/phases.py [h] [runs]"""
import functools, shutil, sys, tempfile, time, statistics, collections
from pathlib import Path
sys.path.insert(0, "/work/wt-imports/benchmarks")
import cards as bc
from deskwork.interop.anki import package, reader, deckconfig
from deskwork.services import anki as sanki, anki_import
from deskwork.store import bulk, journal, store as storemod, transaction

T = collections.defaultdict(float)
def wrap(mod, name, label=None):
    f = getattr(mod, name)
    label = label or f"{getattr(mod,'__name__',mod)}.{name}".replace("deskwork.", "")
    @functools.wraps(f)
    def w(*a, **k):
        t = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            T[label] += time.perf_counter() - t
    setattr(mod, name, w)
wrap(package, "unpack"); wrap(package, "entries"); wrap(package, "read_collection")
wrap(reader, "_history"); wrap(reader, "_validated"); wrap(reader, "read_notetypes"); wrap(reader, "read_decks")
wrap(deckconfig, "attach"); wrap(sanki, "_store_media"); wrap(sanki, "_read")
wrap(anki_import._New, "write", "New.write"); wrap(anki_import, "import_deck")
wrap(bulk.Encoder, "body", "Encoder.body"); wrap(journal, "encode_parts"); wrap(journal, "touched")
wrap(storemod.Store, "_append_line", "Store._append_line"); wrap(bulk, "apply_table"); wrap(bulk, "apply_log")
wrap(transaction.Transaction, "append_many", "Tx.append_many"); wrap(transaction.Transaction, "put_many", "Tx.put_many")
wrap(storemod.Store, "_commit_bulk", "Store._commit_bulk")
base = Path("/tmp/imports-bench")
pkg = base / ("personal.apkg" if "h" in sys.argv[1:2] else "shared.apkg")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
all_ = collections.defaultdict(list); tots = []
for i in range(runs):
    T.clear()
    work = Path(tempfile.mkdtemp())
    s, _, _ = bc._import_s(pkg, work / "a")
    tots.append(s)
    for k, v in T.items(): all_[k].append(v)
    shutil.rmtree(work)
print(f"total median {statistics.median(tots):.3f}  runs {[round(x,3) for x in tots]}")
for k, v in all_.items():
    print(f"  {k:40s} {statistics.median(v)*1000:8.1f} ms")
