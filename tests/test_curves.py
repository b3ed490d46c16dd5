"""s2c.curves: what each training stage bought, from a checkpoint's training log."""
import csv
import math

from s2c.curves import at_peak_lr, read_log, stage_progress, standard_error


def log_row(round_no, stage, step, level, n, psnr, lr=1e-4):
    return {"round": round_no, "stage": stage, "step": step, "level": level, "n": n, "loss": 40.0 - psnr,
            "psnr": psnr, "bpp": 0.5, "lr": lr}


def test_stage_progress_weights_by_batches_and_keeps_stages_apart():
    rows = [log_row(1, "trunk", s, 1, 2, 20.0 + s / 100) for s in range(25, 501, 25)]
    rows += [log_row(1, "trunk", s, 2, 3, 99.0) for s in range(25, 501, 25)]  # another level: ignored
    rows += [log_row(2, "variant", 525, 1, 1, 30.0), log_row(2, "variant", 550, 1, 3, 26.0)]
    trunk, variant = stage_progress(rows, level=1, window=100)
    assert (trunk["round"], trunk["stage"], trunk["to step"]) == (1, "trunk", 500)
    assert trunk["psnr first"] == round(sum(20.0 + s / 100 for s in (25, 50, 75, 100)) / 4, 4)
    assert trunk["psnr last"] == round(sum(20.0 + s / 100 for s in (425, 450, 475, 500)) / 4, 4)
    assert trunk["loss first"] == round(40.0 - trunk["psnr first"], 4)
    assert variant["psnr first"] == variant["psnr last"] == 27.0  # (30 * 1 + 26 * 3) / 4: both rows in each window


def test_read_log_takes_a_single_stage_run_log(tmp_path):
    path = tmp_path / "log.csv"
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, ["step", "level", "n", "loss", "bpp", "mse", "psnr", "lr", "wall_s"])
        w.writeheader()
        w.writerow({"step": 25, "level": 3, "n": 4, "loss": 1.5, "bpp": 0.4, "mse": 0.002, "psnr": 27.0,
                    "lr": 1e-4, "wall_s": 9.0})
    (row,) = read_log(path)
    assert (row["round"], row["stage"], row["level"], row["n"], row["psnr"]) == (1, "variant", 3, 4, 27.0)


def test_standard_error_of_a_weighted_mean_from_the_rows_spread():
    rows = [log_row(1, "variant", 25, 1, 4, 25.0), log_row(1, "variant", 50, 1, 4, 27.0)]
    # rows averaging 4 batches differ by 2 dB: per-batch variance 4 * (1 + 1) = 8, over 8 batches -> SE 1 dB
    assert standard_error(rows, "psnr") == 1.0
    assert math.isnan(standard_error(rows[:1], "psnr"))
    (stage,) = stage_progress(rows, level=1, window=25)  # one row at each end: no spread to estimate from
    assert math.isnan(stage["psnr change ±"])
    (stage,) = stage_progress(rows, level=1, window=1000)  # both rows at both ends
    assert stage["psnr change ±"] == round(math.sqrt(2.0), 4)


def test_means_at_peak_lr_take_only_the_steps_near_each_stages_own_peak():
    warmup_peak_decay = [(25, 1e-4, 29.0), (50, 2e-4, 27.0), (75, 1.9e-4, 28.0), (100, 1e-4, 30.0)]
    rows = [log_row(13, "variant", s, 4, 2, psnr, lr) for s, lr, psnr in warmup_peak_decay]
    rows += [log_row(13, "variant", 50, 3, 2, 99.0, 2e-4)]  # another level: ignored
    rows += [log_row(14, "variant", s, 4, 1, 31.0 - s / 100, 1e-5) for s in (125, 150)]  # constant: all at peak
    r13, r14 = at_peak_lr(rows, level=4)
    assert (r13["round"], r13["peak lr"], r13["peak steps"], r13["psnr at peak"]) == (13, 2e-4, (50, 75), 27.5)
    assert r13["loss at peak"] == 12.5 and r13["psnr at peak ±"] == standard_error(rows[1:3], "psnr")
    assert (r14["peak steps"], r14["psnr at peak"]) == ((125, 150), 29.625)
