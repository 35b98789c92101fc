"""Driver: generate heavy data once (kept), export both packages once, then time our import and
Anki's import interleaved N times; optionally cProfile ours."""
import cProfile, pstats, shutil, sys, tempfile, time, statistics
from pathlib import Path
sys.path.insert(0, "/work/wt-imports/benchmarks")
from workload import SCALES, generate
import cards as bc
from deskwork.services.anki import export_file

base = Path("/tmp/imports-bench")
data = base / "data"
if not (data / "done").exists():
    shutil.rmtree(base, ignore_errors=True)
    generate(data, SCALES["heavy"])
    desk = bc._desk(data)
    export_file(desk, base / "shared.apkg", with_history=False)
    export_file(desk, base / "personal.apkg")
    desk.close()
    (data / "done").write_text("1")
mode = sys.argv[1] if len(sys.argv) > 1 else "time"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
if mode.startswith("prof"):
    pkg = base / ("personal.apkg" if mode == "profh" else "shared.apkg")
    work = Path(tempfile.mkdtemp())
    pr = cProfile.Profile()
    from deskwork.paths import Paths
    from deskwork.services import Desk
    from deskwork.services.anki import import_deck, read_file
    fresh = Desk.open(Paths(work, work))
    pr.enable()
    t = time.perf_counter()
    import_deck(fresh, read_file(pkg, fresh))
    el = time.perf_counter() - t
    pr.disable()
    fresh.close()
    print("elapsed", el)
    st = pstats.Stats(pr); st.sort_stats("cumulative").print_stats(45); st.sort_stats("tottime").print_stats(30)
    shutil.rmtree(work)
    sys.exit()
res = {k: [] for k in ("ours", "anki", "ours_h", "anki_h")}
for i in range(runs):
    work = Path(tempfile.mkdtemp())
    res["ours"].append(bc._import_s(base / "shared.apkg", work / f"a")[0])
    res["anki"].append(bc._anki_import_s(base / "shared.apkg", work))
    res["ours_h"].append(bc._import_s(base / "personal.apkg", work / f"b")[0])
    res["anki_h"].append(bc._anki_import_s(base / "personal.apkg", work))
    shutil.rmtree(work)
    print(f"run {i}: ours {res['ours'][-1]:.3f} anki {res['anki'][-1]:.3f} ratio {res['ours'][-1]/res['anki'][-1]:.2f} | hist ours {res['ours_h'][-1]:.3f} anki {res['anki_h'][-1]:.3f} ratio {res['ours_h'][-1]/res['anki_h'][-1]:.2f}", flush=True)
m = {k: statistics.median(v) for k, v in res.items()}
print(f"median: ours {m['ours']:.3f} anki {m['anki']:.3f} ratio {m['ours']/m['anki']:.2f} | hist {m['ours_h']:.3f} / {m['anki_h']:.3f} ratio {m['ours_h']/m['anki_h']:.2f}")
print("per-run ratio medians:", statistics.median([a/b for a,b in zip(res['ours'],res['anki'])]), statistics.median([a/b for a,b in zip(res['ours_h'],res['anki_h'])]))
