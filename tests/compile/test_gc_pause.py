"""``gc_paused``: the collector is restored, what the block made is not left young,
and cyclic garbage made in the block is still collected."""
import gc
import weakref

from symnb.compiler.gc_pause import gc_paused


class _Node:
    pass


def test_block_objects_join_the_oldest_generation():
    with gc_paused():
        junk = [[k] for k in range(20000)]
    assert gc.isenabled()
    gc.collect(0)                       # a young collection: must not hold the block's objects
    old = {id(o) for o in gc.get_objects(generation=2)}
    assert id(junk) in old and id(junk[-1]) in old
    assert len(junk) == 20000


def test_cyclic_garbage_made_in_the_block_is_collected():
    with gc_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
    assert ref() is not None            # a cycle: only the collector frees it
    gc.collect()
    assert ref() is None


def test_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
