package dev.gdkit.grpc.api;

import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.model.Volume;
import java.util.List;

/** What the management API needs from the engine's volume service. Thread-safe; failures are GdExceptions. */
public interface VolumeBackend {
    List<Volume> listVolumes();

    /** @throws dev.gdkit.api.error.GdException NOT_FOUND when no such volume */
    Volume getVolume(String name);

    Volume createVolume(VolCreateRequest request);

    Volume startVolume(String name);

    Volume stopVolume(String name);

    void deleteVolume(String name);
}
