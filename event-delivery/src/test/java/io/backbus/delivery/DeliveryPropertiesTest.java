package io.backbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeliveryPropertiesTest {

    @Test
    void topicsDefaultToThreeReplicasAndTwoInSync() {
        DeliveryProperties p = new DeliveryProperties(null, null, null, null, null, null, null, null);
        assertThat(p.replicationFactor()).isEqualTo(3);
        assertThat(p.minInsyncReplicas()).isEqualTo(2);
    }

    @Test
    void aSingleBrokerSettingLowersTheInSyncDefaultWithIt() {
        DeliveryProperties p = new DeliveryProperties(null, null, null, null, null, null, 1, null);
        assertThat(p.minInsyncReplicas()).isEqualTo(1);
    }

    @Test
    void moreInSyncReplicasThanReplicasIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new DeliveryProperties(null, null, null, null, null, null, 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backbus.delivery.min-insync-replicas")
                .hasMessageContaining("replication factor (2)");
        assertThatThrownBy(() -> new DeliveryProperties(null, null, null, null, null, null, 0, null))
                .hasMessageContaining("backbus.delivery.replication-factor must be at least 1");
    }
}
