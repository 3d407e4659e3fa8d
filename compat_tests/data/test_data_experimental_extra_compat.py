"""Differential tests against real TF of the tf.data names added late: CsvDataset,
group_by_reducer, pad_to_cardinality, at, dense_to_ragged_batch, get_next_as_optional,
parse_example_dataset / make_batched_features_dataset, table_from_dataset, IteratorSpec, and the
unsupported names."""

import pytest

tf = pytest.importorskip("tensorflow")

from _tfx_shim import assert_same, plain, spec_repr, tfx  # noqa: E402


def _both(fn):
    """(tf outcome, tfjax outcome): a value, or ('raises', class name)."""
    out = []
    for fw in (tf, tfx):
        try:
            out.append(fn(fw))
        except Exception as e:  # noqa: BLE001
            out.append(("raises", type(e).__name__))
    return out


def _elems(ds):
    return [plain(e) for e in ds]


CSV_CASES = [
    (b'h1,h2,h3,h4\n1,"a,b",2.5,x\n,"q""z",,\n3,"multi\nline",1e3,y\n',
     lambda fw: [fw.constant(7, fw.int32), "dflt", fw.constant(0.5, fw.float64), "zz"], {"header": True}),
    (b'a\n\nb\n', lambda fw: [fw.constant("d")], {}),
    (b'a\r\nb\r\n', lambda fw: [fw.constant("d")], {}),
    (b'a"b\n', lambda fw: [fw.constant("d")], {}),
    (b'"ab"c\n', lambda fw: [fw.constant("d")], {}),
    (b'"",x\n', lambda fw: [fw.constant("d"), fw.constant("d")], {}),
    (b'1.5\n', lambda fw: [fw.int32], {}),
    (b' 2\n+3\n', lambda fw: [fw.int32], {}),
    (b'nan,inf,-1e-3\n', lambda fw: [fw.float32, fw.float64, fw.float32], {}),
    (b'0x10\n', lambda fw: [fw.int64], {}),
    (b'99999999999\n', lambda fw: [fw.int32], {}),
    (b'99999999999\n', lambda fw: [fw.int64], {}),
    (b'1,2\n', lambda fw: [fw.int32], {}),
    (b'1\n', lambda fw: [fw.int32, fw.int32], {}),
    (b'1,2,3,4\n', lambda fw: [fw.int32, fw.int32], {"select_cols": [1, 3]}),
    (b'1,2,3\n', lambda fw: [fw.int32, fw.int32], {"select_cols": [1, 3]}),
    (b'1,2,3\n', lambda fw: [fw.int32, fw.int32], {"exclude_cols": [1]}),
    (b'1,NA,3\n', lambda fw: [fw.int32, fw.constant(5), fw.int32], {"na_value": "NA"}),
    (b'1;"2;x"\n', lambda fw: [fw.int32, fw.constant("d")], {"field_delim": ";"}),
    (b'1,"2"\n', lambda fw: [fw.int32, fw.constant("d")], {"use_quote_delim": False}),
    (b'1,2', lambda fw: [fw.int32, fw.constant("d")], {}),
    (b'h\n', lambda fw: [fw.constant("d")], {"header": True}),
    (b'', lambda fw: [fw.constant("d")], {"header": True}),
    (b'"a\n', lambda fw: [fw.constant("d")], {}),
    (b'1,,3\n', lambda fw: [fw.int32, fw.int64, fw.int32], {}),
]


@pytest.mark.parametrize("i", range(len(CSV_CASES)))
def test_csv_dataset(tmp_path, i):
    content, defaults, kw = CSV_CASES[i]
    p = str(tmp_path / "x.csv")
    with open(p, "wb") as f:
        f.write(content)

    def run(fw):
        ds = fw.data.experimental.CsvDataset(p, defaults(fw), **kw)
        return spec_repr(ds.element_spec), _elems(ds)
    a, b = _both(run)
    assert_same(a, b)


def test_csv_dataset_gzip_multi_file_and_batch(tmp_path):
    import gzip
    paths = []
    for k in range(2):
        p = str(tmp_path / f"f{k}.csv.gz")
        with gzip.open(p, "wb") as f:
            f.write(b"c1,c2\n" + b"".join(f"{k * 10 + j},{j * 0.5}\n".encode() for j in range(5)))
        paths.append(p)

    def run(fw):
        ds = fw.data.experimental.CsvDataset(paths, [fw.int64, fw.float32], compression_type="GZIP", header=True)
        return _elems(ds.batch(3))
    a, b = _both(run)
    assert_same(a, b)


def test_group_by_reducer():
    def run(fw):
        red = fw.data.experimental.Reducer(lambda k: fw.constant(0, fw.int64), lambda s, x: s + x,
                                           lambda s: s * 10)
        ds = fw.data.Dataset.range(10).apply(fw.data.experimental.group_by_reducer(lambda x: x % 3, red))
        return spec_repr(ds.element_spec), _elems(ds)
    a, b = _both(run)
    assert_same(a, b)

    def run_tuple(fw):  # tuple state: finalize gets it unpacked
        red = fw.data.experimental.Reducer(
            lambda k: (fw.constant(0, fw.int64), fw.constant(0.0)),
            lambda s, x: (s[0] + 1, s[1] + fw.cast(x, fw.float32)),
            lambda n, tot: tot / fw.cast(n, fw.float32))
        ds = fw.data.Dataset.range(7).apply(fw.data.experimental.group_by_reducer(lambda x: x % 2, red))
        return spec_repr(ds.element_spec), _elems(ds)
    a, b = _both(run_tuple)
    assert_same(a, b)


def test_pad_to_cardinality():
    def run(fw):
        ds = fw.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [[1.0, 2.0], [3.0, 4.0]]})
        ds = ds.apply(fw.data.experimental.pad_to_cardinality(4))
        return spec_repr(ds.element_spec), int(ds.cardinality()), _elems(ds)
    a, b = _both(run)
    assert_same(a, b)
    for bad in (lambda fw: fw.data.Dataset.range(3).apply(fw.data.experimental.pad_to_cardinality(4)),
                lambda fw: fw.data.Dataset.from_tensor_slices({"a": [1, 2, 3]}).apply(
                    fw.data.experimental.pad_to_cardinality(2)),
                lambda fw: fw.data.Dataset.from_tensor_slices({"a": [1, 2, 3]}).filter(
                    lambda x: True).apply(fw.data.experimental.pad_to_cardinality(5))):
        a, b = _both(bad)
        assert a[0] == "raises" and a == b


def test_at_and_optional_and_ragged_batch():
    def run(fw):
        ds = fw.data.Dataset.range(5).map(lambda x: (x, x * 2))
        out = [plain(fw.data.experimental.at(ds, 3))]
        it = iter(fw.data.Dataset.range(1))
        o1 = fw.data.experimental.get_next_as_optional(it)
        o2 = fw.data.experimental.get_next_as_optional(it)
        out += [bool(o1.has_value()), plain(o1.get_value()), bool(o2.has_value())]
        rb = fw.data.Dataset.range(4).map(lambda x: fw.range(x)).apply(
            fw.data.experimental.dense_to_ragged_batch(3))
        out += [[r.to_list() for r in rb]]
        return out
    a, b = _both(run)
    assert_same(a, b)
    a, b = _both(lambda fw: fw.data.experimental.at(fw.data.Dataset.range(5), 7))
    assert a == b == ("raises", "OutOfRangeError")


def test_constants_and_iterator_spec():
    assert tfx.data.experimental.SHARD_HINT == tf.data.experimental.SHARD_HINT
    assert [(m.name, m.value) for m in tfx.data.experimental.AutotuneAlgorithm] == \
        [(m.name, m.value) for m in tf.data.experimental.AutotuneAlgorithm]
    spec = lambda fw: fw.data.IteratorSpec((fw.TensorSpec([], fw.int32), fw.TensorSpec([2], fw.string)))  # noqa: E731
    assert repr(spec(tfx)) == repr(spec(tf))
    assert spec_repr(spec(tfx)._element_spec) == spec_repr(spec(tf)._element_spec)
    tfx.data.experimental.enable_debug_mode()


def _write_examples(fw, path, n):
    with fw.io.TFRecordWriter(path) as w:
        for i in range(n):
            ex = fw.train.Example(features=fw.train.Features(feature={
                "x": fw.train.Feature(float_list=fw.train.FloatList(value=[i * 0.5, -i])),
                "y": fw.train.Feature(int64_list=fw.train.Int64List(value=[i % 3])),
                "tags": fw.train.Feature(bytes_list=fw.train.BytesList(value=[b"t"] * (i % 3)))}))
            w.write(ex.SerializeToString())


def _features(fw):
    return {"x": fw.io.FixedLenFeature([2], fw.float32), "y": fw.io.FixedLenFeature([], fw.int64),
            "tags": fw.io.VarLenFeature(fw.string)}


def _plain_parsed(d):
    out = {}
    for k, v in d.items():
        if hasattr(v, "indices"):
            out[k] = (plain(v.indices), plain(v.values), plain(v.dense_shape))
        else:
            out[k] = plain(v)
    return out


def test_parse_example_dataset_and_make_batched_features_dataset(tmp_path):
    for k in range(2):
        _write_examples(tf, str(tmp_path / f"r{k}.tfrecord"), 5)

    def parse(fw):
        ds = fw.data.TFRecordDataset(str(tmp_path / "r0.tfrecord")).batch(2)
        ds = ds.apply(fw.data.experimental.parse_example_dataset(_features(fw)))
        return [_plain_parsed(d) for d in ds]
    a, b = _both(parse)
    assert_same(a, b)

    def batched(fw):
        ds = fw.data.experimental.make_batched_features_dataset(
            str(tmp_path / "r*.tfrecord"), 3, _features(fw), label_key="y", num_epochs=1, shuffle=False)
        return [(_plain_parsed(f), plain(y)) for f, y in ds]
    a, b = _both(batched)
    assert_same(a, b)
    a, b = _both(lambda fw: fw.data.experimental.make_batched_features_dataset(
        str(tmp_path / "none*.tfrecord"), 3, _features(fw)))
    assert a[0] == "raises" and a == b
    a, b = _both(lambda fw: fw.data.Dataset.range(3).apply(
        fw.data.experimental.parse_example_dataset(_features(fw))))
    assert a[0] == b[0] == "raises"


def test_tables_from_dataset():
    def run(fw):
        keys = fw.data.Dataset.from_tensor_slices(["a", "b", "c"])
        t1 = fw.data.experimental.index_table_from_dataset(keys)
        t2 = fw.data.experimental.table_from_dataset(
            fw.data.Dataset.zip((keys, fw.data.Dataset.range(10, 13))), default_value=-7)
        t3 = fw.data.experimental.index_table_from_dataset(keys, num_oov_buckets=3)
        t4 = fw.data.experimental.index_table_from_dataset(keys, vocab_size=2)
        q = fw.constant(["c", "a", "zz", "b"])
        return [plain(t.lookup(q)) for t in (t1, t2, t3, t4)] + [int(t3.size()), int(t1.size())]
    a, b = _both(run)
    assert_same(a, b)
    for bad in (lambda fw: fw.data.Dataset.range(3),
                lambda fw: fw.data.Dataset.range(3).map(lambda x: (x, x, x)),
                lambda fw: fw.data.Dataset.range(3).map(lambda x: (x, [x, x]))):
        a, b = _both(lambda fw: fw.data.experimental.table_from_dataset(bad(fw)))
        assert a[0] == "raises" and a == b


@pytest.mark.parametrize("name", ["distributed_save", "from_variant", "to_variant", "SqlDataset"])
def test_unsupported_names_raise_clearly(name):
    from tfjax._src.errors import UnsupportedError
    with pytest.raises(UnsupportedError, match=f"tf.data.experimental.{name}"):
        getattr(tfx.data.experimental, name)(None, None)
    with pytest.raises(UnsupportedError, match="tf.data.experimental.service.DispatchServer"):
        tfx.data.experimental.service.DispatchServer()
