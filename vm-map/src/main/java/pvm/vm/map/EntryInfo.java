package pvm.vm.map;

import pvm.hal.pmap.Size;
import pvm.hal.pmap.VirtAddr;

/**
 * One map entry as {@code vm_mapinfo} reports it ({@code entryinfo_t}), plus its gaps for the map
 * views.
 *
 * @param flags {@link pvm.hal.pmap.MapFlags} bits
 * @param offs object offset, or {@link MapEntry#OFFS_MAX}
 * @param anonBytes bytes of anons in the entry's amap (Phoenix counts the whole amap), or -1 when
 *     the entry has no amap ({@code ~0U} in Phoenix)
 * @param object how the object describes itself ("anonymous" for none)
 * @param owner the process the entry was mapped for, or null
 */
public record EntryInfo(VirtAddr vaddr, Size size, int flags, int prot, int protOrig, long offs, long anonBytes,
        ObjectKind objectKind, String object, long lmaxgap, long rmaxgap, MapOwner owner) {

    /** {@code OBJECT_ANONYMOUS}, {@code OBJECT_MEMORY}, {@code OBJECT_OID}. */
    public enum ObjectKind {
        ANONYMOUS, MEMORY, OID
    }

    static EntryInfo of(MapEntry e, int pageSize) {
        long anon = e.amap == null ? -1 : (long) e.amap.anonCount() * pageSize;
        ObjectKind kind = e.object == null ? ObjectKind.ANONYMOUS : e.object == MemObject.PHYSMEM ? ObjectKind.MEMORY : ObjectKind.OID;
        String object = e.object == null ? "anonymous" : e.object.describe();
        return new EntryInfo(VirtAddr.of(e.vaddr), Size.of(e.size), e.flags, e.prot, e.protOrig, e.offs, anon, kind, object,
                e.lmaxgap, e.rmaxgap, e.owner);
    }

    public long end() {
        return vaddr.value() + size.bytes();
    }
}
