#!/usr/bin/env python3
"""video_synth_gen.py - make test clips with exact shot ground truth from
photos, with the recipe of ../shared/README.md (the one synthA/synthB were
made with), so shot detection is not tuned on synthA alone.

    python3 eval/video_synth_gen.py OUTDIR SEED [--fps 25] [--shots 12]
        [--size 640x360] [--fades] [--photos DIR ...]

Writes OUTDIR/clipSEED.mp4 and OUTDIR/clipSEED_gt.csv (kind,start,end; a
cut: start = end = first frame of the new shot; a dissolve or fade: first
blended frame .. first frame wholly in the new shot). Each shot is rendered
to an exact frame count (static, pan left/right, tilt up/down, zoom in/out
with zoompan), shots are joined with concat (cut) or xfade (dissolve, or
fadeblack for a fade through black). With offset o = L - D, frames o+1 ..
o+D-1 are blends and o+D is the first frame of the new shot.
Media goes to OUTDIR only (a temp dir): never commit it.
"""
import argparse, glob, os, random, subprocess, sys

# Photos synthA/synthB were made from; by default the clips use the others.
SYNTH_A = {"Path", "EveningGlow", "ColorfulCups", "FallenLeaf", "ColdRipple", "Kite",
           "Grey", "OneStandsOut", "DarkestHour", "summer_1am", "BytheWater"}


def photos(exclude_synth_a=True):
    out = []
    for d in sorted(glob.glob("/usr/share/wallpapers/*/contents/images")):
        name = d.split("/")[4]
        if exclude_synth_a and name in SYNTH_A:
            continue
        jpgs = glob.glob(d + "/*.jpg") + glob.glob(d + "/*.png")
        if not jpgs:
            continue
        # the largest rendition
        jpgs.sort(key=lambda p: os.path.getsize(p))
        out.append(jpgs[-1])
    return out


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.stderr.write(" ".join(cmd) + "\n" + r.stderr.decode(errors="replace")[-2000:])
        sys.exit(1)


def render_shot(img, motion, n, fps, W, H, out, tmp):
    # Decode the (large) photo once: a 2x canvas as PNG; -loop 1 would
    # otherwise decode the JPEG again for every frame.
    canvas = os.path.join(tmp, "canvas.png")
    run(["ffmpeg", "-v", "error", "-y", "-i", img, "-vf",
         f"scale={2*W}:{2*H}:force_original_aspect_ratio=increase,crop={2*W}:{2*H}",
         "-frames:v", "1", canvas])
    # pans and tilts move a WxH window across a 1.25x cover of the canvas
    cw, ch = int(W * 1.25) // 2 * 2, int(H * 1.25) // 2 * 2
    cover = f"scale={cw}:{ch}"
    den = max(n - 1, 1)
    if motion == "static":
        vf = f"{cover},crop={W}:{H}"
    elif motion in ("panl", "panr"):
        x = f"({cw}-{W})*n/{den}" if motion == "panr" else f"({cw}-{W})*(1-n/{den})"
        vf = f"{cover},crop={W}:{H}:x='{x}':y=({ch}-{H})/2"
    elif motion in ("tiltu", "tiltd"):
        y = f"({ch}-{H})*n/{den}" if motion == "tiltd" else f"({ch}-{H})*(1-n/{den})"
        vf = f"{cover},crop={W}:{H}:x=({cw}-{W})/2:y='{y}'"
    else:  # zin / zout: zoompan on the canvas, one input frame -> n frames
        z = f"1+0.25*on/{den}" if motion == "zin" else f"1.25-0.25*on/{den}"
        vf = f"zoompan=z='{z}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d={n}:s={W}x{H}:fps={fps}"
        run(["ffmpeg", "-v", "error", "-y", "-i", canvas, "-vf", vf + ",format=yuv420p",
             "-frames:v", str(n), "-c:v", "ffv1", out])
        return
    run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", str(fps), "-i", canvas,
         "-vf", vf + ",format=yuv420p", "-frames:v", str(n), "-c:v", "ffv1", out])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("seed", type=int)
    ap.add_argument("--fps", type=int, default=25)
    ap.add_argument("--shots", type=int, default=12)
    ap.add_argument("--size", default="640x360")
    ap.add_argument("--fades", action="store_true", help="some transitions fade through black")
    ap.add_argument("--all-photos", action="store_true", help="also the synthA photos")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    W, H = map(int, a.size.split("x"))
    fps = a.fps
    pool = photos(not a.all_photos)
    rng.shuffle(pool)
    os.makedirs(a.outdir, exist_ok=True)
    tmp = os.path.join(a.outdir, f"tmp{a.seed}")
    os.makedirs(tmp, exist_ok=True)
    motions = ["static", "panl", "panr", "tiltu", "tiltd", "zin", "zout"]
    shots = []
    for i in range(a.shots):
        # 1.3 .. 6 s shots, irregular
        n = int(round(rng.uniform(1.3, 6.0) * fps))
        m = rng.choice(motions)
        img = pool[i % len(pool)]
        if i == 0:
            tr = ("-", 0)
        else:
            u = rng.random()
            if u < 0.6:
                tr = ("cut", 0)
            else:
                d = rng.randint(max(3, int(0.25 * fps)), max(4, int(0.8 * fps)))
                tr = ("fade" if (a.fades and u > 0.85) else "dissolve", d)
        f = os.path.join(tmp, f"s{i:02d}.nut")
        render_shot(img, m, n, fps, W, H, f, tmp)
        shots.append((f, n, m, tr, os.path.basename(os.path.dirname(os.path.dirname(os.path.dirname(img))))))
    # join
    inputs, parts, gt = [], [], []
    for i, (f, n, m, tr, name) in enumerate(shots):
        inputs += ["-i", f]
        parts.append(f"[{i}:v]fps={fps},setpts=PTS-STARTPTS,settb=AVTB[v{i}]")
    cur, curlen = "[v0]", shots[0][1]
    for i in range(1, len(shots)):
        f, n, m, (kind, d), name = shots[i]
        lab = f"[c{i}]"
        if kind == "cut":
            parts.append(f"{cur}[v{i}]concat=n=2:v=1:a=0,settb=AVTB{lab}")
            gt.append(("cut", curlen, curlen))
            curlen += n
        else:
            o = curlen - d
            trn = "fadeblack" if kind == "fade" else "fade"
            parts.append(f"{cur}[v{i}]xfade=transition={trn}:duration={d/fps:.6f}:offset={o/fps:.6f},settb=AVTB{lab}")
            gt.append((kind, o + 1, o + d))
            curlen = o + n
        cur = lab
    out = os.path.join(a.outdir, f"clip{a.seed}.mp4")
    run(["ffmpeg", "-v", "error", "-y"] + inputs + ["-filter_complex", ";".join(parts), "-map", cur,
         "-frames:v", str(curlen), "-r", str(fps), "-c:v", "libx264", "-preset", "veryfast",
         "-crf", "20", "-pix_fmt", "yuv420p", out])
    with open(os.path.join(a.outdir, f"clip{a.seed}_gt.csv"), "w") as g:
        g.write("kind,start_frame,end_frame\n")
        for k, s, e in gt:
            g.write(f"{k},{s},{e}\n")
    with open(os.path.join(a.outdir, f"clip{a.seed}_spec.csv"), "w") as g:
        g.write("image,frames,motion,incoming_transition\n")
        for f, n, m, (kind, d), name in shots:
            g.write(f"{name},{n},{m},{kind if kind in ('-', 'cut') else kind[0] + str(d)}\n")
    for f, *_ in shots:
        os.remove(f)
    os.remove(os.path.join(tmp, "canvas.png"))
    os.rmdir(tmp)
    print(out)


if __name__ == "__main__":
    main()
