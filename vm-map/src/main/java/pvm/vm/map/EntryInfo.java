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
 * @param anonPages pages of this entry that have an anon of their own (its slots of the amap only);
 *     0 without an amap
 * @param oid the object's {@code oid_t} as psh prints it ({@code port.id}), or empty for anonymous
 *     memory and physical memory
 * @param owner the process the entry was mapped for, or null
 */
public record EntryInfo(VirtAddr vaddr, Size size, int flags, int prot, int protOrig, long offs, long anonBytes,
        ObjectKind objectKind, String object, String oid, long anonPages, long lmaxgap, long rmaxgap, MapOwner owner) {

    /** {@code OBJECT_ANONYMOUS}, {@code OBJECT_MEMORY}, {@code OBJECT_OID}. */
    public enum ObjectKind {
        ANONYMOUS, MEMORY, OID
    }

    static EntryInfo of(MapEntry e, int pageSize) {
        long anon = e.amap == null ? -1 : (long) e.amap.anonCount() * pageSize;
        ObjectKind kind = e.object == null ? ObjectKind.ANONYMOUS : e.object == MemObject.PHYSMEM ? ObjectKind.MEMORY : ObjectKind.OID;
        String object = e.object == null ? "anonymous" : e.object.describe();
        String oid = kind == ObjectKind.OID ? e.object.oidText() : "";
        long own = e.amap == null ? 0 : e.amap.anonCount((int) (e.aoffs / pageSize), (int) (e.size / pageSize));
        return new EntryInfo(VirtAddr.of(e.vaddr), Size.of(e.size), e.flags, e.prot, e.protOrig, e.offs, anon, kind, object, oid,
                own, e.lmaxgap, e.rmaxgap, e.owner);
    }

    public long end() {
        return vaddr.value() + size.bytes();
    }
}
