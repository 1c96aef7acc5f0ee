"""Draw the sample digit that chapter 2 classifies: data/handwritten_7.png.

usage: python scripts/make_sample_digit.py

A dark "7" drawn with a thick pen on a light, slightly uneven background, 150 x 200 pixels - the way a digit
looks when you draw it on paper or in a paint program, and unlike MNIST (light on black, 28 x 28, centred).
"""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parents[1] / "data" / "handwritten_7.png"

image = Image.new("L", (150, 200), color=235)
pen = ImageDraw.Draw(image)
stroke = [(38, 52), (70, 47), (112, 45)]           # the top bar, slightly wavy
pen.line(stroke, fill=25, width=15, joint="curve")
pen.line([(112, 45), (90, 100), (72, 160)], fill=25, width=15, joint="curve")  # the down stroke
pen.line([(62, 105), (108, 102)], fill=25, width=11)  # a crossbar, as many people write it
for x, y in [*stroke, (112, 45), (72, 160)]:
    pen.ellipse([x - 7, y - 7, x + 7, y + 7], fill=25)  # round pen ends
image = image.filter(ImageFilter.GaussianBlur(1.2))
noise = np.random.default_rng(7).normal(0, 4, (200, 150))
pixels = np.clip(np.asarray(image, dtype=float) + noise, 0, 255).astype(np.uint8)
Image.fromarray(pixels).save(OUT, optimize=True)
print(OUT)
