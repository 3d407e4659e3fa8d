"""tf.strings.ngrams / unicode_*_with_offsets / unicode_transcode / unicode_script against real TF."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _plain import plain  # noqa: E402
from _tfdiff import check  # noqa: E402

RT = [["a", "b", "c"], ["d"], [], ["e", "f", "g", "h"]]
TEXT = ["héllo", "€a", b"a\xffb\xe2\x82", "h\x7f\x01é", ""]

CASES = {
    "ng_1d": lambda tf: tf.strings.ngrams(["a", "b", "c", "d"], 2),
    "ng_2d": lambda tf: tf.strings.ngrams([["a", "b", "c"], ["d", "e", "f"]], 2, separator="_"),
    "ng_3d": lambda tf: tf.strings.ngrams(tf.reshape(tf.constant(list("abcdefghijkl")), [2, 2, 3]), 2),
    "ng_ragged_multi": lambda tf: tf.strings.ngrams(tf.ragged.constant(RT), (1, 2), separator="|"),
    "ng_pad_tuple": lambda tf: tf.strings.ngrams(tf.ragged.constant(RT), 3, pad_values=("<s>", "</s>")),
    "ng_pad_width": lambda tf: tf.strings.ngrams(tf.ragged.constant(RT), 3, pad_values="P", padding_width=1),
    "ng_preserve": lambda tf: tf.strings.ngrams(tf.ragged.constant(RT), 3, preserve_short_sequences=True),
    "ng_preserve_pad": lambda tf: tf.strings.ngrams(tf.ragged.constant(RT), 5, pad_values="P", padding_width=1,
                                                    preserve_short_sequences=True),
    "ng_ragged2": lambda tf: tf.strings.ngrams(tf.ragged.constant([[["a", "b"], ["c"]], [["d", "e", "f"]]]), 2),
    "ng_err_rank0": lambda tf: tf.strings.ngrams("a", 2),
    "ng_err_width": lambda tf: tf.strings.ngrams(["a"], 0),
    "ng_err_pad": lambda tf: tf.strings.ngrams(["a", "b"], 2, padding_width=1),
    "ng_err_pw": lambda tf: tf.strings.ngrams(["a", "b"], 2, pad_values="x", padding_width=0),
    "dec_off": lambda tf: tf.strings.unicode_decode_with_offsets(TEXT, "UTF-8"),
    "dec_off_scalar": lambda tf: tf.strings.unicode_decode_with_offsets("héllo", "UTF-8"),
    "dec_off_2d": lambda tf: tf.strings.unicode_decode_with_offsets([["a€", "b"], ["", "é"]], "UTF-8"),
    "dec_off_ignore": lambda tf: tf.strings.unicode_decode_with_offsets(TEXT, "UTF-8", errors="ignore"),
    "dec_off_ctrl": lambda tf: tf.strings.unicode_decode_with_offsets(TEXT, "UTF-8", replacement_char=63,
                                                                      replace_control_characters=True),
    "dec_off_strict": lambda tf: tf.strings.unicode_decode_with_offsets(TEXT, "UTF-8", errors="strict"),
    "dec_off_utf16": lambda tf: tf.strings.unicode_decode_with_offsets(
        tf.reshape(tf.strings.unicode_transcode("a€😀", "UTF-8", "UTF-16-BE"), [1]), "UTF-16-BE"),
    "split_off": lambda tf: tf.strings.unicode_split_with_offsets(TEXT, "UTF-8"),
    "split_off_scalar": lambda tf: tf.strings.unicode_split_with_offsets("a€b", "UTF-8"),
    "tc_utf16": lambda tf: tf.strings.unicode_transcode(TEXT, "UTF-8", "UTF-16-BE"),
    "tc_utf32": lambda tf: tf.strings.unicode_transcode([["héllo"], ["😀"]], "UTF-8", "UTF-32-BE"),
    "tc_ignore": lambda tf: tf.strings.unicode_transcode(TEXT, "UTF-8", "UTF-8", errors="ignore"),
    "tc_strict": lambda tf: tf.strings.unicode_transcode(TEXT, "UTF-8", "UTF-8", errors="strict"),
    "tc_ctrl": lambda tf: tf.strings.unicode_transcode(TEXT, "UTF-8", "UTF-8", replace_control_characters=True),
    "tc_rc": lambda tf: tf.strings.unicode_transcode(TEXT, "UTF-8", "UTF-8", replacement_char=63),
    "tc_roundtrip": lambda tf: tf.strings.unicode_transcode(
        tf.strings.unicode_transcode(["a€😀"], "UTF-8", "UTF-16-BE"), "UTF-16-BE", "UTF-8"),
    "script": lambda tf: tf.strings.unicode_script([1, 65, 0x3b1, 0x4e00, 0x110004, -1, 0x300, 0xd800, 0x0627]),
    "script_2d": lambda tf: tf.strings.unicode_script([[0x0410, 0x05d0], [0x0e01, 0xac00]]),
    "script_err_dtype": lambda tf: tf.strings.unicode_script(tf.constant([65], tf.int64)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_strings_unicode(name):
    check(lambda tf: plain(CASES[name](tf)))


def test_unicode_script_all_code_points():
    cp = np.arange(0, 0x110000, 7, dtype=np.int32)
    check(lambda tf: tf.strings.unicode_script(cp))


def test_ngrams_in_dataset_map():
    def snip(tf):
        ds = tf.data.Dataset.from_tensor_slices([["a", "b", "c"], ["d", "e", "f"]]).map(
            lambda x: tf.strings.ngrams(x, 2))
        return [plain(e) for e in ds]
    check(snip)
