package io.epochring.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterPortsTest {

    @Test
    void shouldGiveEachMemberFiveConsecutivePortsFromTheBasePort() {
        ClusterPorts ports = ClusterPorts.from(20000, 2);

        assertThat(ports.members()).isEqualTo(2);
        assertThat(ports.clusterMembers()).isEqualTo("0,127.0.0.1:20000,127.0.0.1:20001,127.0.0.1:20002,127.0.0.1:20003,127.0.0.1:20004|"
                                                     + "1,127.0.0.1:20005,127.0.0.1:20006,127.0.0.1:20007,127.0.0.1:20008,127.0.0.1:20009|");
        assertThat(ports.ingressEndpoints()).isEqualTo("0=127.0.0.1:20000,1=127.0.0.1:20005");
        assertThat(ports.archive(1)).isEqualTo("127.0.0.1:20009");
    }

    @Test
    void shouldReadBackTheMemberListItWrites() {
        ClusterPorts ports = ClusterPorts.free(3);

        assertThat(ClusterPorts.parse(ports.clusterMembers()).clusterMembers()).isEqualTo(ports.clusterMembers());
    }

    @Test
    void shouldPickDistinctFreePortsBelowTheEphemeralRange() {
        ClusterPorts ports = ClusterPorts.free(3);

        List<Integer> all = Pattern.compile(":(\\d+)").matcher(ports.clusterMembers()).results()
                                  .map(m -> Integer.parseInt(m.group(1))).toList();
        assertThat(all).hasSize(15).doesNotHaveDuplicates().allMatch(p -> p >= ClusterPorts.FREE_FROM && p <= ClusterPorts.FREE_TO);
    }

    @Test
    void shouldRefuseABasePortWhoseRangeDoesNotFit() {
        assertThatThrownBy(() -> ClusterPorts.from(65530, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the ports of 3 members (65530..65544) must lie in 1024..65535: choose another base port");
    }
}
